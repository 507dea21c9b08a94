-- wrk script: each request carries the next signed-in user's session cookie,
-- and the summary prints the percentiles the issues ask for (wrk --latency has no 95th).
local cookies = {}
for line in io.lines(os.getenv("LOS_COOKIES")) do cookies[#cookies + 1] = line end
local n = 0

request = function()
  n = n + 1
  return wrk.format("GET", nil, { ["Cookie"] = "sessionid=" .. cookies[(n % #cookies) + 1] })
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("LOS p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f requests=%d seconds=%.1f errors=%d non2xx=%d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.timeout, e.status))
end
