-- util/strings.lua — a submodule.
local M = {}
function M.words(s) local t = {} for w in s:gmatch("%S+") do t[#t + 1] = w end return t end
function M.upper_first(s) return (s:gsub("^%l", string.upper)) end
return M
