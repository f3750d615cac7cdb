# Server CPU time (user+sys of all its threads, from /proc/PID/task/*/schedstat) per /api/search, per query
# kind, against two or more servers: a figure that a busy machine changes much less than wall-clock latency.
# Usage: cpu.py ROUNDS LABEL=URL=PID LABEL=URL=PID ...
import http.client, os, sys, urllib.parse
from queries import Q
rounds = int(sys.argv[1])
servers = [a.split("=", 2) for a in sys.argv[2:]]
def cpu_ns(pid):
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
        except FileNotFoundError:
            pass
    return total
conns = {label: http.client.HTTPConnection(url.split("//")[1].strip("/")) for label, url, _ in servers}
def get(label, q):
    p = dict(q); p["limit"] = "20"
    conns[label].request("GET", "/api/search?" + urllib.parse.urlencode(p)); r = conns[label].getresponse(); r.read()
    assert r.status == 200
used = {(label, i): 0 for label, _, _ in servers for i in range(len(Q))}
for i, q in enumerate(Q):
    # Blocks of 10 searches, alternating servers, so both see the same moments of the machine.
    for _ in range(rounds // 10):
        for label, _, pid in servers:
            before = cpu_ns(pid)
            for _ in range(10):
                get(label, q)
            used[(label, i)] += cpu_ns(pid) - before
n = rounds // 10 * 10
for label, _, _ in servers:
    total = sum(used[(label, i)] for i in range(len(Q))) / (n * len(Q)) / 1e6
    print(f"{label}: server CPU per search, mean over {n} of each kind: {total:.2f} ms")
    for i, q in enumerate(Q):
        print(f"   {label}: {used[(label, i)] / n / 1e6:6.2f} ms CPU  {q}")
