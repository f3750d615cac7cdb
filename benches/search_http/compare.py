# Interleaved /api/search timings against two servers (1 search thread, default threads): p50/p90/p99 overall and per query kind.
import http.client, time, urllib.parse, sys, json
addrs = {"1 thread": sys.argv[1], "2 threads": sys.argv[2]}
Q = [
 {"q":"connectivity"}, {"q":'"meaningful connectivity"'}, {"q":'"local content" languages'},
 {"q":"governments AND (privacy OR encryption)"}, {"q":"spectrum satellite","track":"inclusion"},
 {"q":"climate","kind":"recommendation"}, {"q":"data protection","speaker":"speaker 12"},
 {"q":"cybersecurity norms","session":"ws-007"}, {"q":"the"}, {"q":"","doc":"session"},
]
conns = {k: http.client.HTTPConnection(v.split("//")[1].strip("/")) for k, v in addrs.items()}
def get(k, q):
    p = dict(q); p["limit"] = "20"
    path = "/api/search?" + urllib.parse.urlencode(p)
    t = time.perf_counter(); conns[k].request("GET", path); r = conns[k].getresponse(); body = r.read(); dt = time.perf_counter() - t
    assert r.status == 200, body[:200]
    return dt, json.loads(body)["total"]
for k in addrs:
    for q in Q: get(k, q)
times = {k: [] for k in addrs}; per = {k: [[] for _ in Q] for k in addrs}
totals = {}
for rnd in range(int(sys.argv[3])):
    for i, q in enumerate(Q):
        for k in addrs:
            dt, total = get(k, q); times[k].append(dt); per[k][i].append(dt); totals.setdefault((k, i), total)
def pct(v, p):
    v = sorted(v); return v[max(0, min(len(v), -(-len(v) * p // 100)) - 1)] * 1e3
for k in addrs:
    t = times[k]
    print(f"{k}: {len(t)} searches over HTTP: p50 {pct(t,50):.2f} ms, p90 {pct(t,90):.2f} ms, p99 {pct(t,99):.2f} ms, max {max(t)*1e3:.2f} ms")
    for i, q in enumerate(Q):
        print(f"   {k}: p50 {pct(per[k][i],50):6.2f}  p99 {pct(per[k][i],99):6.2f} ms  {totals[(k,i)]:>7} hits  {q}")
assert all(totals[("1 thread", i)] == totals[("2 threads", i)] for i in range(len(Q)))
