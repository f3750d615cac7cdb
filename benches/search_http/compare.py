# Interleaved /api/search timings against two or more servers: p50/p95/p99 overall and per query kind.
# Usage: compare.py ROUNDS LABEL=URL LABEL=URL ...
import http.client, time, urllib.parse, sys, json
from queries import Q
rounds = int(sys.argv[1])
addrs = dict(a.split("=", 1) for a in sys.argv[2:])
conns = {k: http.client.HTTPConnection(v.split("//")[1].strip("/")) for k, v in addrs.items()}
def get(k, q):
    p = dict(q); p["limit"] = "20"
    path = "/api/search?" + urllib.parse.urlencode(p)
    t = time.perf_counter(); conns[k].request("GET", path); r = conns[k].getresponse(); body = r.read(); dt = time.perf_counter() - t
    assert r.status == 200, body[:200]
    return dt, json.loads(body)
for k in addrs:
    for q in Q: get(k, q)
times = {k: [] for k in addrs}; per = {k: [[] for _ in Q] for k in addrs}
answers = {}
for rnd in range(rounds):
    for i, q in enumerate(Q):
        for k in addrs:
            dt, answer = get(k, q); times[k].append(dt); per[k][i].append(dt)
            if rnd == 0:
                answers[(k, i)] = answer
def pct(v, p):
    v = sorted(v); return v[max(0, min(len(v), -(-len(v) * p // 100)) - 1)] * 1e3
for k in addrs:
    t = times[k]
    print(f"{k}: {len(t)} searches over HTTP: p50 {pct(t,50):.2f} ms, p95 {pct(t,95):.2f} ms, p99 {pct(t,99):.2f} ms, max {max(t)*1e3:.2f} ms")
    for i, q in enumerate(Q):
        v = per[k][i]
        print(f"   {k}: p50 {pct(v,50):6.2f}  p95 {pct(v,95):6.2f}  p99 {pct(v,99):6.2f} ms  {answers[(k,i)]['total']:>7} hits  {q}")
# Every server must answer the same: same totals, hits and facet counts (scores aside, which may differ in the last bits).
def shape(a):
    return (a["total"], [(h["session"], h.get("start"), h["snippet"]) for h in a["hits"]], a["facets"])
first = next(iter(addrs))
for k in addrs:
    for i in range(len(Q)):
        assert shape(answers[(k, i)]) == shape(answers[(first, i)]), f"{k} and {first} differ on {Q[i]}"
print("all servers gave the same answers (totals, hits, snippets, facets)")
