#!/bin/sh
# web-demos.sh WEBDIR BUILD — the page's demo list: web/demos.json, plus each
# interpreter that has been built (its .wasm is copied next to the page).
set -eu
W=$1 B=$2
extra=""
# add ID JSON: when $B/ID.wasm has been built, put it beside the page and list it
add() {
  [ -f "$B/$1.wasm" ] || return 0
  cp "$B/$1.wasm" "$W/demos/$1.wasm"
  extra="$extra,$2"
}
add sqlite '
  {
    "id": "sqlite",
    "title": "sqlite3 — the SQLite shell with a 5 MB database inside",
    "about": "/db/sample.db is embedded and writable",
    "wasm": "demos/sqlite.wasm",
    "args": "-header -column /db/sample.db \"SELECT city, count(*) AS customers FROM customers GROUP BY city ORDER BY 2 DESC, 1\"",
    "list": "/db/sample.db .tables"
  }'
add python '
  {
    "id": "python",
    "title": "python — CPython 3.11 with its standard library inside",
    "about": "the standard library is embedded at /usr/local/lib/python3.11",
    "wasm": "demos/python.wasm",
    "args": "-c \"import json, sys, zoneinfo; print(sys.version.split()[0], json.dumps({\u0027files\u0027: \u0027inside\u0027}))\"",
    "list": "-c \"import os; print(len(os.listdir(os.path.dirname(os.__file__))), \u0027entries in\u0027, os.path.dirname(os.__file__))\""
  }'
add lua '
  {
    "id": "lua",
    "title": "lua — Lua 5.4 with its modules inside",
    "about": "modules and data are embedded at /lua; errors are WebAssembly exceptions",
    "wasm": "demos/lua.wasm",
    "args": "-e \"local g = require(\u0027greet\u0027); print(g.hello(\u0027browser\u0027), pcall(error, \u0027caught\u0027, 0))\"",
    "list": "-e \"for l in io.lines(\u0027/lua/data.txt\u0027) do print(l) end\""
  }'
add ruby '
  {
    "id": "ruby",
    "title": "ruby — CRuby 3.3 with its library inside",
    "about": "the installed Ruby tree is embedded at /usr, the app at /src",
    "wasm": "demos/ruby.wasm",
    "args": "/src/my_app.rb",
    "list": "-e \"puts Dir.children(RbConfig::CONFIG[\u0027rubylibdir\u0027]).size.to_s + \u0027 entries in \u0027 + RbConfig::CONFIG[\u0027rubylibdir\u0027]\""
  }'
sed '$d' web/demos.json > "$W/demos.json"
printf '%s\n]\n' "$extra" >> "$W/demos.json"
