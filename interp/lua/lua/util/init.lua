-- util/init.lua — a package (directory with init.lua) in the embedded tree.
local M = { strings = require("util.strings") }
function M.sum(t) local s = 0 for _, v in ipairs(t) do s = s + v end return s end
return M
