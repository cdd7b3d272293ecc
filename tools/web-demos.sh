#!/bin/sh
# web-demos.sh WEBDIR BUILD — the page's demo list: web/demos.json, plus each
# interpreter that has been built (its .wasm is copied next to the page).
set -eu
W=$1 B=$2
extra=""
if [ -f "$B/sqlite.wasm" ]; then
  cp "$B/sqlite.wasm" "$W/demos/sqlite.wasm"
  extra="$extra,"'
  {
    "id": "sqlite",
    "title": "sqlite3 — the SQLite shell with a 5 MB database inside",
    "about": "/db/sample.db is embedded and writable",
    "wasm": "demos/sqlite.wasm",
    "args": "-header -column /db/sample.db \"SELECT city, count(*) AS customers FROM customers GROUP BY city ORDER BY 2 DESC, 1\"",
    "list": "/db/sample.db .tables"
  }'
fi
if [ -f "$B/python.wasm" ]; then
  cp "$B/python.wasm" "$W/demos/python.wasm"
  extra="$extra,"'
  {
    "id": "python",
    "title": "python — CPython 3.11 with its standard library inside",
    "about": "the standard library is embedded at /usr/local/lib/python3.11",
    "wasm": "demos/python.wasm",
    "args": "-c \"import json, sys, zoneinfo; print(sys.version.split()[0], json.dumps({\u0027files\u0027: \u0027inside\u0027}))\"",
    "list": "-c \"import os; print(len(os.listdir(os.path.dirname(os.__file__))), \u0027entries in\u0027, os.path.dirname(os.__file__))\""
  }'
fi
if [ -f "$B/lua.wasm" ]; then
  cp "$B/lua.wasm" "$W/demos/lua.wasm"
  extra="$extra,"'
  {
    "id": "lua",
    "title": "lua — Lua 5.4 with its modules inside",
    "about": "modules and data are embedded at /lua; errors are WebAssembly exceptions",
    "wasm": "demos/lua.wasm",
    "args": "-e \"local g = require(\u0027greet\u0027); print(g.hello(\u0027browser\u0027), pcall(error, \u0027caught\u0027, 0))\"",
    "list": "-e \"for l in io.lines(\u0027/lua/data.txt\u0027) do print(l) end\""
  }'
fi
sed '$d' web/demos.json > "$W/demos.json"
printf '%s\n]\n' "$extra" >> "$W/demos.json"
