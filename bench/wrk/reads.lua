-- GET wrk.path (the queue page or the JSON list) as a random manager m1..mN of the seeded
-- directory for every request.  wrk -s reads.lua URL -- <threads> <managers>
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local managers
function init(args)
   managers = tonumber(args[2])
   math.randomseed(1000 + tid)
end

function request()
   local m = math.random(1, managers)
   return wrk.format("GET", wrk.path, { ["X-Forwarded-Email"] = "m" .. m .. "@bench.example" })
end

-- Counting the status codes costs wrk a Lua call per response: within run-to-run noise here.
function response(status)
   count_status(status)
end
