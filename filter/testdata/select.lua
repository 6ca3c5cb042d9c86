-- Loaded by TestFilterListTshark (list_tshark_test.go) with
--   NBT_FILTERS=<file, one display filter a line> NBT_OUT=<file>
--   tshark -n -q -r CAPTURE -X lua_script:select.lua
-- One tap per filter (the same display-filter engine as -Y), each
-- recording the numbers of the frames it selects; at the end one line a
-- filter: its line number, a tab, the frame numbers joined with ",", or
-- "ERR" and tshark's message when the filter does not compile.
local exprs = {}
for line in io.lines(os.getenv("NBT_FILTERS")) do
  table.insert(exprs, line)
end
local hits, errs = {}, {}
for i, e in ipairs(exprs) do
  hits[i] = {}
  local ok, l = pcall(Listener.new, "frame", e)
  if ok then
    l.packet = function(pinfo) table.insert(hits[i], pinfo.number) end
  else
    errs[i] = tostring(l):gsub("[\r\n\t]", " ")
  end
end
local done = Listener.new("frame")
function done.draw()
  local out = assert(io.open(os.getenv("NBT_OUT"), "w"))
  for i = 1, #exprs do
    if errs[i] then
      out:write(i, "\tERR ", errs[i], "\n")
    else
      out:write(i, "\t", table.concat(hits[i], ","), "\n")
    end
  end
  out:close()
end
