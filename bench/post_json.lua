-- wrk script for bench/http_decode.py.
--
--   wrk ... -s bench/post_json.lua URL                 -- plain GET (e.g. /healthz)
--   wrk ... -s bench/post_json.lua URL -- body.json    -- POST body.json as application/json
--
-- There is no request() function, so wrk builds the request once and replays it: the Lua
-- side costs nothing per request. done() prints one machine-readable line (latencies in µs)
-- that http_decode.py parses instead of wrk's human-readable summary.

function init(args)
   local path = args[1]
   if path then
      local f = assert(io.open(path, "rb"))
      wrk.body = f:read("*a")
      f:close()
      wrk.method = "POST"
      wrk.headers["Content-Type"] = "application/json"
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"latency_us": {"mean": %.1f, "stdev": %.1f, "max": %d, ' ..
      '"p50": %d, "p75": %d, "p90": %d, "p99": %d}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.mean, latency.stdev, latency.max,
      latency:percentile(50), latency:percentile(75), latency:percentile(90),
      latency:percentile(99)))
end
