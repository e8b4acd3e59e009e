-- Shared by the wrk scripts: numbers each thread, counts status codes (when a script asks for
-- it) and prints one JSON line at the end, which bench/run.sh reads:
--   WRKJSON {"requests": ..., "rps": ..., "p50_ms": ..., "p99_ms": ..., "non2xx": ..., ...}
local threads = {}
local thread_count = 0

-- Every script takes wrk's thread count as its first argument (after "--"): a thread may start
-- before setup() has seen the others, so it cannot count them itself.
function setup(thread)
   thread:set("tid", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

statuses = {}
function count_status(status)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local totals, non2xx, counted = {}, 0, false
   for _, t in ipairs(threads) do
      local s = t:get("statuses")
      if s then
         for code, n in pairs(s) do
            counted = true
            totals[code] = (totals[code] or 0) + n
            if code < 200 or code > 299 then non2xx = non2xx + n end
         end
      end
   end
   local codes = {}
   for code, n in pairs(totals) do codes[#codes + 1] = string.format('"%d": %d', code, n) end
   table.sort(codes)
   if not counted then non2xx = summary.errors.status end -- codes > 399, without the breakdown
   local secs = summary.duration / 1e6
   io.write(string.format(
      'WRKJSON {"requests": %d, "duration_s": %.3f, "rps": %.1f, "p50_ms": %.3f, "p90_ms": %.3f, '
         .. '"p99_ms": %.3f, "max_ms": %.3f, "mean_ms": %.3f, "non2xx": %d, "status_over_399": %d, '
         .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, "statuses": {%s}}\n',
      summary.requests, secs, summary.requests / secs,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, latency.mean / 1000, non2xx, summary.errors.status,
      summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
      table.concat(codes, ", ")))
end
