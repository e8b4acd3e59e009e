-- POST /api/requests/{id}/decision by the requester's manager, each pending id once, taken
-- from a file of "id manager-email" lines (bench/sql/pool.sql made them). Thread t takes lines
-- t, t + threads, ...; a thread that runs out starts again, and those repeats answer 409,
-- which the summary counts as non-2xx.
--   wrk -s decide.lua URL -- <threads> <file>
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local ids, managers, i = {}, {}, 0
function init(args)
   nthreads = tonumber(args[1])
   local line_no = 0
   for line in io.lines(args[2]) do
      if line_no % nthreads == tid then
         local id, manager = line:match("^(%d+)%s+(%S+)")
         ids[#ids + 1] = id
         managers[#managers + 1] = manager
      end
      line_no = line_no + 1
   end
end

function request()
   i = i % #ids + 1
   local decision = (i % 4 == 0) and "Declined" or "Approved"
   return wrk.format("POST", "/api/requests/" .. ids[i] .. "/decision",
      { ["X-Forwarded-Email"] = managers[i], ["Content-Type"] = "application/json" },
      '{"decision": "' .. decision .. '", "note": "Enjoy"}')
end

function response(status)
   count_status(status)
end
