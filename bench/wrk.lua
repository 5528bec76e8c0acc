-- One benchmark target for wrk: method, body and headers come from the
-- environment (bench/run.py sets them); done() prints one JSON line with
-- p50/p95/p99 latency (ms), requests/s and the error counts.
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY") or ""
if body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
-- TLS ends at the proxy in production; gunicorn hears it from this header.
wrk.headers["X-Forwarded-Proto"] = "https"
local cookie = os.getenv("BENCH_COOKIE") or ""
if cookie ~= "" then wrk.headers["Cookie"] = cookie end
local origin = os.getenv("BENCH_ORIGIN") or ""
if origin ~= "" then wrk.headers["Origin"] = origin end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, '
      .. '"requests": %d, "seconds": %.3f, "rps": %.2f, "status_errors": %d, '
      .. '"socket_errors": %d}\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests, seconds,
    summary.requests / seconds, e.status,
    e.connect + e.read + e.write + e.timeout))
end
