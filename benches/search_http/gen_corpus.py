# The meeting of benches/meeting.rs (which benches/search.rs and benches/serve_load.rs share), ported: same
# generator (xorshift, Zipf), 200 sessions x 10,000 words, 20-word segments, a finding every 25th, written as
# JSON transcripts and findings for `rapporteur index`. compare.py's hit counts match benches/search.rs's.
import json, os
COMMON="the and of to we in that is for this it a on are be with as have not so our they can but all more about need think also".split()
DOMAIN="internet governance data access connectivity meaningful digital divide inclusion trust security cybersecurity norms privacy protection human rights stakeholders multistakeholder governments private sector civil society technical community youth local content languages infrastructure investment policy regulation platforms environment climate sustainability artificial intelligence algorithms capacity building development africa latin america asia pacific europe women gender disability accessibility affordable broadband spectrum satellite community networks education health economy jobs skills literacy misinformation disinformation elections transparency accountability encryption cooperation compact roadmap sdgs wsis igf".split()
TRACKS=["Data","Environment","Inclusion","Trust"]
TYPES=["Workshop","Open Forum","Main Session","Dynamic Coalition","Best Practice Forum"]
M=(1<<64)-1
class R:
    def __init__(s,x): s.x=x
    def next(s):
        s.x^=(s.x<<13)&M; s.x^=s.x>>7; s.x^=(s.x<<17)&M; return s.x
    def below(s,n): return s.next()%n
    def zipf(s,n):
        u=(s.next()%1000000)/1000000.0
        return min(max(int(n**u)-1,0),n-1)
r=R(0x5eed1dea2020)
def word(): return COMMON[r.zipf(len(COMMON))] if r.below(2)==0 else DOMAIN[r.zipf(len(DOMAIN))]
os.makedirs("corpus",exist_ok=True)
for s in range(200):
    sid=f"ws-{s:03}"
    title=f"{word()} {DOMAIN[r.below(len(DOMAIN))]} and {DOMAIN[r.below(len(DOMAIN))]}"
    sess={"id":sid,"title":title,"type":TYPES[s%5],"tracks":[TRACKS[s%4]],"room":f"Room {s%12+1}","date":f"2020-11-{2+s%5:02}"}
    speakers=[f"SPEAKER {(s*5+k)%400}" for k in range(5)]
    segs=[];finds=[];at=0
    for n in range(500):
        text=" ".join(word() for _ in range(20))+"."
        sp=speakers[(n//7)%5]; end=at+8000
        if n%25==0:
            finds.append({"kind":["takeaway","recommendation","call_to_action"][n//25%3],"text":text,"quote":text,"session":sid,"speaker":sp,"start":at/1000,"end":end/1000,"rule":"bench","track":None,"score":0.7,"source":"caption"})
        segs.append({"start":at/1000,"end":end/1000,"speaker":sp,"text":text,"source":"caption","timing":"exact"})
        at=end+500
    json.dump({"session":sess,"segments":segs},open(f"corpus/{sid}.json","w"))
    json.dump({"session":sess,"track":None,"track_confidence":None,"findings":finds},open(f"corpus/{sid}.findings.json","w"))
