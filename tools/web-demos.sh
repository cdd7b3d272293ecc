#!/bin/sh
# web-demos.sh WEBDIR BUILD [APP.wasm...] — the page's demo list: web/demos.json,
# each interpreter that has been built (its .wasm is copied next to the page),
# the interpreters the pack page packs into (interp.json: build/interp/NAME.wasm
# beside the page, where a folder goes in each and what to run it with),
# and your own packed programs (make web APPS="a.wasm b.wasm"): each listed by
# its name, its arguments from APP.args beside it when there is one (else none),
# its embedded files listed by running it with APP.list's arguments.
set -eu
W=$1 B=$2
shift 2
extra=""
# report SRC ID [KEY]: an image's --report-html page beside the demo, when
# there is one, named in its entry (KEY: "report", the app's image; "library",
# the interpreter's own), so the page links where its bytes go
report() {
  if [ -f "$1" ]; then cp "$1" "$W/demos/$2.html"; printf ',\n    "%s": "demos/%s.html"' "${3:-report}" "$2"; fi
}
# add ID JSON: (its entry, less the closing brace) when $B/ID.wasm has been built, put it beside the page and list it
add() {
  [ -f "$B/$1.wasm" ] || return 0
  cp "$B/$1.wasm" "$W/demos/$1.wasm"
  extra="$extra,$2$(report "$B/$1.html" "$1")$(report "${3:-}" "$1-library" library)
  }"
}
add sqlite '
  {
    "id": "sqlite",
    "title": "sqlite3 — the SQLite shell with a 5 MB database inside",
    "about": "/db/sample.db is embedded and writable",
    "wasm": "demos/sqlite.wasm",
    "args": "-header -column /db/sample.db \"SELECT city, count(*) AS customers FROM customers GROUP BY city ORDER BY 2 DESC, 1\"",
    "list": "/db/sample.db .tables"'
add python '
  {
    "id": "python",
    "title": "python — CPython 3.11 with its standard library inside",
    "about": "the standard library is embedded at /usr/local/lib/python3.11",
    "wasm": "demos/python.wasm",
    "args": "-c \"import json, sys, zoneinfo; print(sys.version.split()[0], json.dumps({\u0027files\u0027: \u0027inside\u0027}))\"",
    "list": "-c \"import os; print(len(os.listdir(os.path.dirname(os.__file__))), \u0027entries in\u0027, os.path.dirname(os.__file__))\""' \
  "$B/python/stdlib-c${COMPRESS:-1}.html"
add lua '
  {
    "id": "lua",
    "title": "lua — Lua 5.4 with its modules inside",
    "about": "modules and data are embedded at /lua; errors are WebAssembly exceptions",
    "wasm": "demos/lua.wasm",
    "args": "-e \"local g = require(\u0027greet\u0027); print(g.hello(\u0027browser\u0027), pcall(error, \u0027caught\u0027, 0))\"",
    "list": "-e \"for l in io.lines(\u0027/lua/data.txt\u0027) do print(l) end\""'
add ruby '
  {
    "id": "ruby",
    "title": "ruby — CRuby 3.3 with its library inside",
    "about": "the installed Ruby tree is embedded at /usr, the app at /src",
    "wasm": "demos/ruby.wasm",
    "args": "/src/my_app.rb",
    "list": "-e \"puts Dir.children(RbConfig::CONFIG[\u0027rubylibdir\u0027]).size.to_s + \u0027 entries in \u0027 + RbConfig::CONFIG[\u0027rubylibdir\u0027]\""' \
  "$B/ruby/usr-c${COMPRESS:-1}.html"
# json STRING: STRING as a JSON string
json() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' | awk 'BEGIN { printf "\"" } { printf "%s%s", (NR > 1 ? "\\n" : ""), $0 } END { printf "\"" }'; }
for app in "$@"; do
  [ -f "$app" ] || { echo "web: APPS names $app, which is not there"; exit 1; }
  id=$(basename "$app" .wasm)
  case $id in *[!A-Za-z0-9_-]*) echo "web: $app: name the file with letters, digits, - and _ only"; exit 1 ;; esac
  cp "$app" "$W/demos/$id.wasm"
  args=""; [ -f "${app%.wasm}.args" ] && args=$(cat "${app%.wasm}.args")
  list=$args; [ -f "${app%.wasm}.list" ] && list=$(cat "${app%.wasm}.list")
  extra="$extra,
  {
    \"id\": \"$id\",
    \"title\": \"$id — your packed program\",
    \"about\": \"added with make web APPS=\",
    \"wasm\": \"demos/$id.wasm\",
    \"args\": $(json "$args"),
    \"list\": $(json "$list")$(report "${app%.wasm}.html" "$id")
  }"
done
sed '$d' web/demos.json > "$W/demos.json"
printf '%s\n]\n' "$extra" >> "$W/demos.json"

# base NAME TITLE MOUNT ARGS: when make NAME has built it, a base to pack into
mkdir -p "$W/interp"
bases=""
base() {
  [ -f "$B/interp/$1.wasm" ] || return 0
  cp "$B/interp/$1.wasm" "$W/interp/$1.wasm"
  bases="$bases${bases:+,}
  { \"id\": \"$1\", \"title\": $(json "$2"), \"wasm\": \"interp/$1.wasm\", \"mount\": \"$3\", \"args\": $(json "$4") }"
}
base python 'python — CPython 3.11' /src /src/main.py
base ruby 'ruby — CRuby 3.3' /src /src/main.rb
base lua 'lua — Lua 5.4' /lua /lua/main.lua
base sqlite 'sqlite3 — the SQLite shell' /db '/db/your.db .tables'
printf '[%s\n]\n' "$bases" > "$W/interp.json"
