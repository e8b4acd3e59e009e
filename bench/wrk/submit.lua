-- POST /api/requests: each request from the next requester of the seeded directory (employees
-- e1..eE, then managers m1..mM), for a two-day window one week later each time round, so that
-- every submission is new and accepted (201), never an overlap (422).
--   wrk -s submit.lua URL -- <threads> <employees> <managers> <base YYYY-MM-DD>
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local employees, requesters, base, n
function init(args)
   nthreads = tonumber(args[1])
   employees = tonumber(args[2])
   requesters = employees + tonumber(args[3])
   local y, m, d = args[4]:match("(%d+)-(%d+)-(%d+)")
   base = os.time({ year = tonumber(y), month = tonumber(m), day = tonumber(d), hour = 12 })
   n = tid -- this thread takes n = tid, tid + nthreads, ...
end

function request()
   local k = n % requesters
   local week = math.floor(n / requesters)
   n = n + nthreads
   local who = k < employees and ("e" .. (k + 1)) or ("m" .. (k - employees + 1))
   local start = base + week * 7 * 86400
   local body = string.format('{"start_date": "%s", "end_date": "%s", "comment": "Benchmark"}',
      os.date("!%Y-%m-%d", start), os.date("!%Y-%m-%d", start + 86400))
   return wrk.format("POST", "/api/requests",
      { ["X-Forwarded-Email"] = who .. "@bench.example", ["Content-Type"] = "application/json" }, body)
end

function response(status)
   count_status(status)
end
