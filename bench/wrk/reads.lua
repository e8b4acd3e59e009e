-- GET wrk.path (the queue page or the JSON list) as a random manager m1..mN of the seeded
-- directory for every request, or always as one person when a third argument names them (the
-- admin, or the manager of the hostile-volume case).
--   wrk -s reads.lua URL -- <threads> <managers> [<email>]
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local managers, who
function init(args)
   managers = tonumber(args[2])
   who = args[3]
   math.randomseed(1000 + tid)
end

function request()
   local email = who or ("m" .. math.random(1, managers) .. "@bench.example")
   return wrk.format("GET", wrk.path, { ["X-Forwarded-Email"] = email })
end

-- Counting the status codes costs wrk a Lua call per response: within run-to-run noise here.
function response(status)
   count_status(status)
end
