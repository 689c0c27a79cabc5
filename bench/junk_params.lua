-- wrk script: every request carries a query parameter never seen before (utm-style junk, a way
-- to try to bypass a page cache). The page cache keys on the parameters a page reads only, so
-- these must be served as fast as the plain address.
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "?utm_" .. counter .. "=" .. math.random(1, 1000000000))
end
