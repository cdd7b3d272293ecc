-- test/main.lua — run by the wasm lua with /lua embedded and by Debian's native
-- lua5.4 on the same tree (LUA_ROOT, LUA_PATH point there); outputs must match.
local root = os.getenv("LUA_ROOT") or "/lua"
local greet = require("greet")
local util = require("util")
print(greet.hello("wasm"))
print(util.sum({1, 2, 3, 4}), util.strings.upper_first("embedded"))
local total, names = 0, {}
for line in io.lines(root .. "/data.txt") do
  local name, n = line:match("(%a+) (%d+)")
  total = total + tonumber(n)
  names[#names + 1] = name
end
print(#names, total, table.concat(names, ","))
local f = assert(io.open(root .. "/data.txt", "rb"))
print(#f:read("a"), f:seek("set", 6), f:read("l"))
f:close()
print(pcall(function() error("boom", 0) end))
print(select(2, pcall(function() error({code = 42}) end)).code)
print(select(2, pcall(function() local t = nil; return t.x end)) ~= nil)
print(io.open(root .. "/missing.txt") == nil)
local ok, err = pcall(require, "nosuchmodule")
print(ok, type(err))
local t = io.tmpfile()
t:write("scratch"); t:seek("set", 0); print(t:read("a")); t:close()
local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1); return b * 2 end)
print(co(1), co(10))
print(string.format("%5.2f|%d|%s", math.pi, 7 // 2, tostring(nil)))
print(utf8.len("ünïcödé"), #"ünïcödé")
