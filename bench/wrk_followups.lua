-- The follow-up write test as a wrk script (bench/wrkclient.py runs it; docs/performance.md).
--
--   CALP_BENCH_TOKEN=... wrk -t 2 -c 32 -d 1000s --timeout 120s -s bench/wrk_followups.lua \
--       http://127.0.0.1:PORT/ -- IDS_FILE BODY_FILE DONE_DIR TOTAL THREADS SEED
--
-- Every request is POST /api/v1/victims/<random id of IDS_FILE>/follow-ups with BODY_FILE.
-- wrk runs for a duration; this script makes it a fixed count instead, so runs compare:
-- each thread reserves its share of TOTAL in delay() (a connection asks delay() before each
-- request; once the share is spent it parks the connection for an hour), counts responses,
-- and when all are in it writes DONE_DIR/done-<thread> and stops its event loop. The caller
-- waits for every done file, then sends SIGINT, and wrk calls done().
--
-- Latency is measured here, not taken from wrk's histogram: wrk "corrects" that histogram
-- for coordinated omission (it adds synthetic samples), which would make the p95 not
-- comparable with the httpx client's. A response is matched to its request by the
-- victim_id in the 201 body (at most one request per victim in flight per thread when the
-- pool allows). done() prints one line "WRK_JSON {...}" with counts, raw latencies and
-- p50/p95/mean.

local ffi = require("ffi")
pcall(ffi.cdef, [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]])
local ts = ffi.new("bench_timespec")

-- CLOCK_MONOTONIC in ms: comparable across wrk's threads (os.clock is CPU time).
local function now_ms()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

-- Main state: the thread objects, for done().
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("bench_id", #threads)
end

-- Thread state. Globals named bench_* are read back by done() through thread:get().
-- bench_sent counts the requests reserved by delay(): each is sent exactly once.
local ids, body, done_dir, req_headers = {}, nil, nil, nil
local quota, reserved, requested, answered = 0, 0, 0, 0
local pending = {}  -- victim id -> list of start times (ms) of requests in flight
bench_sent, bench_answered, bench_unmatched = 0, 0, 0
bench_statuses, bench_lat = {}, {}
bench_t0, bench_t1 = nil, nil

local function read_file(path)
  local fh = assert(io.open(path, "rb"))
  local text = fh:read("*a")
  fh:close()
  return text
end

function init(args)
  for line in read_file(args[1]):gmatch("[^\r\n]+") do
    ids[#ids + 1] = line
  end
  assert(#ids > 0, "no victim ids")
  body = read_file(args[2])
  done_dir = args[3]
  local total, n_threads = tonumber(args[4]), tonumber(args[5])
  quota = math.floor(total / n_threads)
  if bench_id <= total % n_threads then
    quota = quota + 1
  end
  math.randomseed(tonumber(args[6]) * 1000 + bench_id)
  req_headers = {
    ["Authorization"] = "Bearer " .. assert(os.getenv("CALP_BENCH_TOKEN"), "CALP_BENCH_TOKEN"),
    ["Content-Type"] = "application/json",
  }
  if quota == 0 then
    wrk.thread:stop()
  end
end

function delay()
  if reserved < quota then
    reserved = reserved + 1
    bench_sent = reserved
    bench_t0 = bench_t0 or now_ms()
    return 0
  end
  return 3600 * 1000  -- this thread's share is spent: park the connection
end

local function pick()
  -- Prefer a victim with nothing in flight, so the 201 body identifies the request.
  for _ = 1, 8 do
    local v = ids[math.random(#ids)]
    if pending[v] == nil then
      return v
    end
  end
  return ids[math.random(#ids)]
end

function request()
  local vid = pick()
  if requested >= reserved then
    -- Not a reserved request: wrk calls request() once before the threads start, to
    -- check the script (nothing is sent). Recording it would leave a stale start time.
    return wrk.format("POST", "/api/v1/victims/" .. vid .. "/follow-ups", req_headers, body)
  end
  requested = requested + 1
  local t = now_ms()
  local queue = pending[vid]
  if queue == nil then
    queue = {}
    pending[vid] = queue
  end
  queue[#queue + 1] = t
  return wrk.format("POST", "/api/v1/victims/" .. vid .. "/follow-ups", req_headers, body)
end

function response(status, headers, resp_body)
  local t = now_ms()
  answered = answered + 1
  bench_answered = answered
  bench_t1 = t
  local key = tostring(status)
  bench_statuses[key] = (bench_statuses[key] or 0) + 1
  local vid = resp_body and resp_body:match('"victim_id"%s*:%s*"([%x%-]+)"')
  local queue = vid and pending[vid]
  if queue and #queue > 0 then
    bench_lat[#bench_lat + 1] = t - table.remove(queue, 1)
    if #queue == 0 then
      pending[vid] = nil
    end
  else
    bench_unmatched = bench_unmatched + 1
  end
  if answered >= quota then
    local fh = io.open(done_dir .. "/done-" .. bench_id, "w")
    if fh then
      fh:write(tostring(answered))
      fh:close()
    end
    wrk.thread:stop()
  end
end

-- Nearest-rank percentile, as bench/api.pct.
local function pct(sorted, q)
  if #sorted == 0 then
    return nil
  end
  local i = math.ceil(q / 100 * #sorted)
  return sorted[math.max(1, math.min(#sorted, i))]
end

local function num(v)
  if v == nil then
    return "null"
  end
  return string.format("%.3f", v)
end

function done(summary, latency, requests)
  local parts, all = {}, {}
  for _, thread in ipairs(threads) do
    local st = {}
    for k, v in pairs(thread:get("bench_statuses") or {}) do
      st[#st + 1] = string.format('"%s":%d', k, v)
    end
    local lat = {}
    for i, v in ipairs(thread:get("bench_lat") or {}) do
      lat[i] = string.format("%.3f", v)
      all[#all + 1] = v
    end
    parts[#parts + 1] = string.format(
      '{"id":%d,"sent":%d,"answered":%d,"unmatched":%d,"t0_ms":%s,"t1_ms":%s,' ..
      '"statuses":{%s},"lat_ms":[%s]}',
      thread:get("bench_id"), thread:get("bench_sent"), thread:get("bench_answered"),
      thread:get("bench_unmatched"), num(thread:get("bench_t0")), num(thread:get("bench_t1")),
      table.concat(st, ","), table.concat(lat, ","))
  end
  table.sort(all)
  local sum = 0
  for _, v in ipairs(all) do
    sum = sum + v
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"threads":[%s],"p50_ms":%s,"p95_ms":%s,"mean_ms":%s,"wrk_requests":%d,' ..
    '"wrk_errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    table.concat(parts, ","), num(pct(all, 50)), num(pct(all, 95)),
    num(#all > 0 and sum / #all or nil), summary.requests,
    e.connect, e.read, e.write, e.status, e.timeout))
end
