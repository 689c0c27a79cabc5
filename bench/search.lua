-- wrk script: GET /bibliotheque?q=… rotating through the benchmark's queries (bench/queries.txt,
-- or the file named by the environment variable BENCH_QUERIES), each thread from its own offset.
local path = os.getenv("BENCH_QUERIES") or "bench/queries.txt"
local queries = {}
for line in io.lines(path) do
  if #line > 0 then
    local encoded = line:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end)
    queries[#queries + 1] = "/bibliotheque?q=" .. encoded
  end
end
if #queries == 0 then error("no queries in " .. path) end

local counter = 0
local next_index = 1

function setup(thread)
  counter = counter + 1
  thread:set("next_index", 1 + (counter - 1) * math.floor(#queries / 2))
end

function request()
  local target = queries[next_index]
  next_index = next_index % #queries + 1
  return wrk.format("GET", target)
end
