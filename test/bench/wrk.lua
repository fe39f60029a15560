-- The benchmark's wrk script (test/bench/load.ts runs it; it reads everything from BENCH_*
-- variables). Every answer is checked: its status, `"errors":` in a GraphQL answer, and its bytes
-- against the reference answer (or, where answers carry upstream tokens that differ every time, a
-- marker the answer must contain and its length). With BENCH_MAX set, the
-- window is that many answers: the thread stops, and wrk, which would otherwise sleep out its
-- whole -d, is woken the way Ctrl-C wakes it. At the end one line `BENCH_RESULT {...}` carries the
-- figures, latencies in microseconds.

local ffi = require('ffi')
ffi.cdef([[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *tp);
  int getpid(void);
  int kill(int pid, int sig);
]])
local CLOCK_MONOTONIC = 1
local SIGINT = 2

local function read_file(path)
  if path == nil or path == '' then return nil end
  local file = assert(io.open(path, 'rb'))
  local text = file:read('*a')
  file:close()
  return text
end

wrk.method = os.getenv('BENCH_METHOD') or 'GET'
wrk.body = read_file(os.getenv('BENCH_BODY_FILE'))
local header_text = read_file(os.getenv('BENCH_HEADERS_FILE')) or ''
for name, value in header_text:gmatch('([^\t\n]+)\t([^\n]*)\n') do
  wrk.headers[name] = value
end

-- BENCH_BODIES_FILE: several bodies separated by NUL bytes, sent in turn (so that the requests in
-- flight at any moment are different ones).
local bodies = {}
local bodies_text = read_file(os.getenv('BENCH_BODIES_FILE'))
if bodies_text ~= nil then
  for body in bodies_text:gmatch('([^%z]+)') do
    table.insert(bodies, body)
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local now = ffi.new('bench_timespec')
local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, now)
  return tonumber(now.tv_sec) * 1000000 + tonumber(now.tv_nsec) / 1000
end

function init(_)
  started_us = now_us()
  last_us = started_us
  responses = 0
  non2xx = 0
  wrong = 0
  graphql_errors = 0
  first_failure = ''
  max_responses = tonumber(os.getenv('BENCH_MAX') or '0') or 0
  expected = read_file(os.getenv('BENCH_EXPECT_FILE'))
  contains = os.getenv('BENCH_CONTAINS')
  if contains == '' then contains = nil end
  length = tonumber(os.getenv('BENCH_LENGTH') or '')
  graphql = os.getenv('BENCH_GRAPHQL') == '1'
end

local turn = 0
if #bodies > 0 then
  function request()
    turn = turn % #bodies + 1
    return wrk.format(nil, nil, nil, bodies[turn])
  end
end

local function fail(text)
  if first_failure == '' then first_failure = text:sub(1, 300) end
end

function response(status, _, body)
  responses = responses + 1
  last_us = now_us()
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    fail('HTTP ' .. status .. ': ' .. (body or ''))
  else
    if graphql and body:find('"errors":', 1, true) then
      graphql_errors = graphql_errors + 1
      fail('errors in answer: ' .. body)
    end
    if expected ~= nil and body ~= expected then
      wrong = wrong + 1
      fail('not the bytes of the reference answer: ' .. body)
    elseif contains ~= nil and not body:find(contains, 1, true) then
      wrong = wrong + 1
      fail('answer without ' .. contains .. ': ' .. body)
    elseif length ~= nil and #body ~= length then
      wrong = wrong + 1
      fail('answer of ' .. #body .. ' bytes, not ' .. length .. ': ' .. body)
    end
  end
  if max_responses > 0 and responses == max_responses then
    wrk.thread:stop()
    ffi.C.kill(ffi.C.getpid(), SIGINT)
  end
end

local function json_string(text)
  return '"' .. text:gsub('[%c"\\]', function(c)
    return string.format('\\u%04x', c:byte())
  end) .. '"'
end

function done(summary, latency, _)
  local totals = { responses = 0, non2xx = 0, wrong = 0, graphql_errors = 0 }
  local first = ''
  local duration = summary.duration
  for _, thread in ipairs(threads) do
    if (thread:get('max_responses') or 0) > 0 then
      duration = thread:get('last_us') - thread:get('started_us')
    end
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + (thread:get(name) or 0)
    end
    if first == '' then first = thread:get('first_failure') or '' end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"durationUs":%d,"requests":%d,"responses":%d,"non2xx":%d,"wrong":%d,' ..
      '"graphqlErrors":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d,' ..
      '"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f},"firstFailure":%s}\n',
    duration, summary.requests, totals.responses, totals.non2xx, totals.wrong,
    totals.graphql_errors, errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, json_string(first)))
end
