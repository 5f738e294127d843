-- wrk script for bench/load.py: replay one or several requests, counting responses by status.
--
--   wrk ... -s bench/load.lua https://localhost:PORT/ -- requests.txt
--
-- requests.txt has one request per line: "METHOD PATH BODYFILE" (BODYFILE "-" for none; a body
-- is sent as application/json). Each thread rotates over the lines, starting at a different one,
-- so a file with one line replays one request and a file with many mixes them. The requests are
-- built once in init(); request() only picks the next one. response() counts statuses per
-- thread, and done() adds them up (thread:get) and prints one machine-readable line
-- (latencies in µs) that load.py parses instead of wrk's human-readable summary.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads) -- 1, 2, ... in the thread's own Lua state
end

local requests = {}
local next_index = 1
counts = {}

function init(args)
   local manifest = assert(io.open(args[1], "rb"))
   for line in manifest:lines() do
      local method, path, body_file = line:match("^(%S+) (%S+) (%S+)$")
      if method then
         local headers = {}
         local body = nil
         if body_file ~= "-" then
            local f = assert(io.open(body_file, "rb"))
            body = f:read("*a")
            f:close()
            headers["Content-Type"] = "application/json"
         end
         table.insert(requests, wrk.format(method, path, headers, body))
      end
   end
   manifest:close()
   assert(#requests > 0, "no requests in " .. args[1])
   next_index = ((id or 1) - 1) * 7 % #requests + 1 -- threads start at different requests
end

function request()
   local r = requests[next_index]
   next_index = next_index % #requests + 1
   return r
end

function response(status, headers, body)
   counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
   local total = {}
   for _, thread in ipairs(threads) do
      local c = thread:get("counts")
      for status, n in pairs(c) do
         total[status] = (total[status] or 0) + n
      end
   end
   local parts = {}
   for status, n in pairs(total) do
      table.insert(parts, string.format('"%d": %d', status, n))
   end
   local e = summary.errors
   io.write(string.format(
      'LOAD_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "statuses": {%s}, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"latency_us": {"mean": %.1f, "stdev": %.1f, "max": %d, ' ..
      '"p50": %d, "p75": %d, "p90": %d, "p99": %d}}\n',
      summary.requests, summary.duration, summary.bytes, table.concat(parts, ", "),
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.mean, latency.stdev, latency.max,
      latency:percentile(50), latency:percentile(75), latency:percentile(90),
      latency:percentile(99)))
end
