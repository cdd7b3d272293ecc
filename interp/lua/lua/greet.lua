-- greet.lua — a module required from the embedded /lua tree.
local M = {}
function M.hello(name) return "hello, " .. name end
return M
