-- wrk script of tests/topology/test_faults.py: a mix of pages and API calls, every status counted.
--
--   wrk -s tests/topology/mixed.lua https://localhost:PORT -- TOKEN
--
-- Each thread rotates over REQUESTS and counts responses by status and by second (os.time());
-- done() prints one line, FAULTS_JSON {...}, with the counts of all threads.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   local token = args[1] or ""
   local json = { ["Content-Type"] = "application/json" }
   requests = {
      wrk.format("GET", "/jwt/?sample=hs256"),
      wrk.format("POST", "/api/v1/json/format", json, '{"text": "{\\"b\\": 1, \\"a\\": [1, 2]}"}'),
      wrk.format("POST", "/api/v1/jwt/decode", json, '{"token": "' .. token .. '"}'),
      wrk.format("GET", "/headers/"),
   }
   counts = {}
   n = 0
end

function request()
   n = n + 1
   return requests[(n % #requests) + 1]
end

function response(status, headers, body)
   local key = os.time() .. ":" .. status
   counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
   local merged = {}
   for _, thread in ipairs(threads) do
      for key, count in pairs(thread:get("counts")) do
         merged[key] = (merged[key] or 0) + count
      end
   end
   local parts = {}
   for key, count in pairs(merged) do
      table.insert(parts, string.format('"%s": %d', key, count))
   end
   local e = summary.errors
   io.write(string.format(
      'FAULTS_JSON {"requests": %d, "errors": {"connect": %d, "read": %d, "write": %d, ' ..
      '"status": %d, "timeout": %d}, "p50_us": %d, "p99_us": %d, "max_us": %d, "by_second": {%s}}\n',
      summary.requests, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(99), latency.max, table.concat(parts, ", ")))
end
