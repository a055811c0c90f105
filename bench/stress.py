#!/usr/bin/env python3
"""Load and check helpers of bench/crash-safety and bench/two-nodes (standard library only, 127.0.0.1 only).

  stress.py load   --api URL --token T --db D --resource R --round N --workers W --seconds S --out FILE
      imports new profiles (a unique email, a unique phone, an email and an sms subscription) from W workers until
      the server stops answering (it is killed with kill -9) or S seconds have passed. Writes one JSON line per
      request: {"email","phone","acked":bool,"profile_id"?,"error"?}. Exit 1 when a request was answered with an error.
  stress.py verify --api URL --token T --db D --resource R --workers W FILE...
      checks every acknowledged import through profiles/get (same profile id, email, phone, both subscriptions) and
      every unacknowledged one (absent, or present whole). Exit 1 on any violation.
  stress.py conflict --node URL,TOKEN --node URL,TOKEN --db D --workers W --seconds S --keys K --repeats M
      two-node conflicts: (a) imports of the same emails, (b) increments of one profile, (c) imports matched by a
      unique custom field; each request also increments COUNTER. Exit 1 on duplicates or lost increments.
"""
import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse


class Client:
    """One keep-alive connection to one server."""

    def __init__(self, api, token, timeout=30):
        u = urllib.parse.urlparse(api)
        assert u.hostname == "127.0.0.1", "traffic to 127.0.0.1 only"
        self.host, self.port, self.prefix, self.token, self.timeout = u.hostname, u.port, u.path, token, timeout
        self.conn = None

    def call(self, method, body):
        """Returns the decoded answer; raises OSError/http.client errors when the server does not answer."""
        payload = json.dumps(body).encode()
        headers = {"Authorization": "Bearer " + self.token, "Content-Type": "application/json"}
        # No retry: a request whose answer was not received has an unknown outcome and is never counted as done.
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self.conn.request("POST", self.prefix + "/" + method, payload, headers)
            return json.loads(self.conn.getresponse().read())
        except Exception:
            self.conn.close()
            self.conn = None
            raise


def fail(msg):
    print("VIOLATION: " + msg, flush=True)


# ---------------------------------------------------------------------------------------------------------- load
def import_body(db, resource, email, phone):
    return {"db_id": db, "matching": "email", "email": email,
            "data": {"email": email, "_fname": "Crash", "phones": [phone],
                     "subscriptions": [{"channel": "email", "email": email, "resource_id": resource},
                                       {"channel": "sms", "phone": phone, "resource_id": resource}]}}


def cmd_load(a):
    deadline = time.time() + a.seconds
    lock = threading.Lock()
    records = []
    answered_errors = []

    def worker(w):
        c = Client(a.api, a.token)
        n = 0
        while time.time() < deadline:
            n += 1
            # unique over rounds, workers and requests: round < 10, worker < 100, n < 100,000
            seq = a.round * 10_000_000 + w * 100_000 + n
            email = "crash-r%d-w%d-n%d@example.com" % (a.round, w, n)
            phone = "+79%09d" % (100_000_000 + seq)
            rec = {"email": email, "phone": phone, "acked": False}
            try:
                ans = c.call("profiles/import", import_body(a.db, a.resource, email, phone))
            except Exception as e:  # no answer: the server is gone (or going); unknown outcome
                rec["no_answer"] = type(e).__name__
                with lock:
                    records.append(rec)
                return
            if ans.get("error") == 0 and ans.get("profile_id"):
                rec["acked"] = True
                rec["profile_id"] = ans["profile_id"]
            else:
                rec["error"] = ans
                with lock:
                    answered_errors.append(ans)
            with lock:
                records.append(rec)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(a.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(a.out, "w") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    acked = sum(1 for r in records if r["acked"])
    print("load round %d: %d requests, %d acknowledged, %d without answer, %d answered with an error"
          % (a.round, len(records), acked, sum(1 for r in records if "no_answer" in r), len(answered_errors)),
          flush=True)
    for e in answered_errors[:5]:
        fail("import answered with an error: %s" % json.dumps(e))
    return 1 if answered_errors else 0


# -------------------------------------------------------------------------------------------------------- verify
def check_profile(p, rec, resource):
    """Problems of profile data p against the import record (empty list: complete)."""
    problems = []
    if p.get("email", "").lower() != rec["email"].lower():
        problems.append("email %r" % p.get("email"))
    if rec["phone"] not in (p.get("phones") or []):
        problems.append("phones %r" % p.get("phones"))
    subs = p.get("subscriptions") or []
    has_email = any(s.get("channel") == "email" and s.get("resource_id") == resource
                    and (s.get("email_data") or {}).get("email", "").lower() == rec["email"].lower()
                    and not s.get("is_delete") for s in subs)
    has_sms = any(s.get("channel") == "sms" and s.get("resource_id") == resource
                  and (s.get("sms_data") or {}).get("phone") == rec["phone"] and not s.get("is_delete") for s in subs)
    if not has_email:
        problems.append("no email subscription")
    if not has_sms:
        problems.append("no sms subscription")
    if len(subs) != 2:
        problems.append("%d subscriptions" % len(subs))
    return problems


def cmd_verify(a):
    records = []
    for path in a.files:
        with open(path) as f:
            records.extend(json.loads(line) for line in f if line.strip())
    lock = threading.Lock()
    stats = {"acked": 0, "lost": 0, "incomplete": 0, "unacked_present": 0, "unacked_absent": 0, "checked": 0}
    problems = []
    idx = [0]

    def worker():
        c = Client(a.api, a.token)
        while True:
            with lock:
                if idx[0] >= len(records):
                    return
                rec = records[idx[0]]
                idx[0] += 1
            ans = c.call("profiles/get", {"db_id": a.db, "email": rec["email"]})
            with lock:
                stats["checked"] += 1
                if rec["acked"]:
                    stats["acked"] += 1
                    if ans.get("error") == 404:
                        stats["lost"] += 1
                        problems.append("acknowledged import lost: %s (profile %s)" % (rec["email"], rec["profile_id"]))
                        continue
                elif ans.get("error") == 404:
                    stats["unacked_absent"] += 1
                    continue
                else:
                    stats["unacked_present"] += 1
                if ans.get("error") != 0:
                    problems.append("profiles/get %s answered %s" % (rec["email"], json.dumps(ans)))
                    stats["incomplete"] += 1
                    continue
                p = ans["data"]
                bad = check_profile(p, rec, a.resource)
                if rec["acked"] and p.get("id") != rec["profile_id"]:
                    bad.append("id %s, acknowledged %s" % (p.get("id"), rec["profile_id"]))
                if bad:
                    stats["incomplete"] += 1
                    problems.append("profile of %s (%s) incomplete: %s" % (rec["email"], p.get("id"), "; ".join(bad)))

    threads = [threading.Thread(target=worker) for _ in range(a.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("verify: %(checked)d imports checked: %(acked)d acknowledged, %(lost)d acknowledged but lost, "
          "%(incomplete)d incomplete profiles; unacknowledged: %(unacked_present)d committed whole, "
          "%(unacked_absent)d absent" % stats, flush=True)
    print("FIGURES acked=%(acked)d lost=%(lost)d incomplete=%(incomplete)d" % stats, flush=True)
    for p in problems[:20]:
        fail(p)
    if len(problems) > 20:
        fail("... and %d more" % (len(problems) - 20))
    return 1 if problems or stats["checked"] != len(records) else 0


# ------------------------------------------------------------------------------------------------------ conflict
def run_parallel(jobs, clients_per_node, workers):
    """jobs: list of (node index, method, body). Runs them from `workers` threads, each thread with a client per node.
    Returns the list of (job, answer or exception)."""
    lock = threading.Lock()
    results = []
    idx = [0]
    start = threading.Barrier(workers)

    def worker():
        clients = [Client(api, token) for api, token in clients_per_node]
        start.wait()
        while True:
            with lock:
                if idx[0] >= len(jobs):
                    return
                job = jobs[idx[0]]
                idx[0] += 1
            try:
                ans = clients[job[0]].call(job[1], job[2])
            except Exception as e:
                ans = {"exception": repr(e)}
            with lock:
                results.append((job, ans))

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def cmd_conflict(a):
    nodes = [tuple(n.split(",", 1)) for n in a.node]
    clients = [Client(api, token) for api, token in nodes]
    db = a.db
    t0 = time.time()
    deadline = t0 + a.seconds
    totals = {"requests": 0, "ok": 0, "errors": 0, "keys": 0, "duplicates": 0, "lost_incr": 0, "extra_incr": 0,
              "created_true": 0}
    problems = []
    rnd = 0

    def counter_of(node, body):
        ans = clients[node].call("profiles/get", body)
        if ans.get("error") != 0:
            return None, ans
        return ans["data"], ans

    def check_key(kind, key, get_body, results):
        """results: answers of the imports of one key. One profile id, COUNTER == successes, same on both nodes."""
        ok = [ans for _, ans in results if ans.get("error") == 0]
        errs = [ans for _, ans in results if ans.get("error") != 0]
        totals["requests"] += len(results)
        totals["ok"] += len(ok)
        totals["errors"] += len(errs)
        totals["keys"] += 1
        for e in errs[:2]:
            problems.append("%s %s: request answered %s" % (kind, key, json.dumps(e)))
        ids = {ans.get("profile_id") for ans in ok}
        created = sum(1 for ans in ok if ans.get("created") is True)
        totals["created_true"] += created
        if len(ids) > 1:
            totals["duplicates"] += len(ids) - 1
            problems.append("%s %s: %d profiles %s" % (kind, key, len(ids), sorted(ids)))
        if kind != "incr" and ok and created != 1:
            problems.append("%s %s: %d answers said created (expected 1)" % (kind, key, created))
        seen = []
        for n in range(len(clients)):
            p, ans = counter_of(n, get_body)
            if p is None:
                problems.append("%s %s: profiles/get on node %d answered %s" % (kind, key, n + 1, json.dumps(ans)))
                continue
            seen.append(p.get("id"))
            value = p.get("COUNTER", 0)
            if n == 0:
                if value < len(ok):
                    totals["lost_incr"] += len(ok) - value
                    problems.append("%s %s: COUNTER %d after %d successful increments" % (kind, key, value, len(ok)))
                elif value > len(ok):
                    totals["extra_incr"] += value - len(ok)
                    problems.append("%s %s: COUNTER %d after only %d successful increments" % (kind, key, value, len(ok)))
            if ok and p.get("id") not in ids:
                problems.append("%s %s: node %d finds %s, imports answered %s" % (kind, key, n + 1, p.get("id"), ids))
        if len(set(seen)) > 1:
            problems.append("%s %s: the nodes find different profiles %s" % (kind, key, seen))

    incr = {"action": "incr", "value": 1}
    figures = {"a": [0, 0, 0], "b": [0, 0, 0], "c": [0, 0, 0]}  # keys, duplicates, lost increments
    while True:
        rnd += 1
        # (a) the same K new emails, M imports each, alternating nodes, all at once
        emails = ["dup-r%d-k%d@example.com" % (rnd, k) for k in range(a.keys)]
        jobs = [(i % 2, "profiles/import",
                 {"db_id": db, "matching": "email", "email": e, "data": {"email": e, "COUNTER": incr}})
                for r in range(a.repeats) for k, e in enumerate(emails) for i in [r + k]]
        t = time.time()
        res = run_parallel(jobs, nodes, a.workers)
        if a.verbose:
            print("round %d (a): %d imports in %.2fs" % (rnd, len(jobs), time.time() - t), flush=True)
        before = (totals["keys"], totals["duplicates"], totals["lost_incr"])
        for e in emails:
            check_key("email", e, {"db_id": db, "email": e}, [(j, x) for j, x in res if j[2]["email"] == e])
        figures["a"] = [f + (totals[k] - b) for f, k, b in zip(figures["a"], ("keys", "duplicates", "lost_incr"), before)]

        # (b) one existing profile, M*K increments from both nodes at once
        e = "incr-r%d@example.com" % rnd
        first = clients[0].call("profiles/import", {"db_id": db, "matching": "email", "email": e, "data": {"email": e}})
        if first.get("error") != 0:
            problems.append("creating %s answered %s" % (e, json.dumps(first)))
        else:
            pid = first["profile_id"]
            jobs = [(i % 2, "profiles/update",
                     {"db_id": db, "matching": "profile_id", "profile_id": pid, "data": {"COUNTER": incr}})
                    for i in range(a.repeats * a.keys)]
            res = run_parallel(jobs, nodes, a.workers)
            # the imports' profile_id is the one created first
            res = [(j, dict(x, profile_id=x.get("profile_id", pid)) if x.get("error") == 0 else x) for j, x in res]
            before = (totals["keys"], totals["duplicates"], totals["lost_incr"])
            check_key("incr", pid, {"db_id": db, "matching": "profile_id", "profile_id": pid}, res)
            figures["b"] = [f + (totals[k] - b) for f, k, b in zip(figures["b"], ("keys", "duplicates", "lost_incr"), before)]

        # (c) the same K new values of the unique custom field UKEY, M imports each matched by it
        values = ["u-r%d-k%d" % (rnd, k) for k in range(a.keys)]
        jobs = [(i % 2, "profiles/import",
                 {"db_id": db, "matching": "custom", "field_name": "UKEY", "field_value": v,
                  "data": {"UKEY": v, "COUNTER": incr}})
                for r in range(a.repeats) for k, v in enumerate(values) for i in [r + k]]
        res = run_parallel(jobs, nodes, a.workers)
        before = (totals["keys"], totals["duplicates"], totals["lost_incr"])
        for v in values:
            check_key("UKEY", v, {"db_id": db, "matching": "custom", "field_name": "UKEY", "field_value": v},
                      [(j, x) for j, x in res if j[2]["field_value"] == v])
        figures["c"] = [f + (totals[k] - b) for f, k, b in zip(figures["c"], ("keys", "duplicates", "lost_incr"), before)]
        if time.time() >= deadline:
            break

    print("conflict: %d rounds in %.1fs, %d requests (%d ok, %d answered with an error) over %d keys"
          % (rnd, time.time() - t0, totals["requests"], totals["ok"], totals["errors"], totals["keys"]), flush=True)
    for name, label in (("a", "(a) same emails"), ("b", "(b) increments of one profile"),
                        ("c", "(c) same unique custom field values")):
        k, d, l = figures[name]
        print("  %-38s keys %5d  duplicates %3d  lost increments %3d" % (label, k, d, l), flush=True)
    print("  increments beyond the successful answers: %d" % totals["extra_incr"], flush=True)
    print("FIGURES requests=%d ok=%d errors=%d duplicates=%d lost_increments=%d extra_increments=%d rounds=%d"
          % (totals["requests"], totals["ok"], totals["errors"], totals["duplicates"], totals["lost_incr"],
             totals["extra_incr"], rnd), flush=True)
    print("ROUNDS %d" % rnd, flush=True)
    for p in problems[:30]:
        fail(p)
    if len(problems) > 30:
        fail("... and %d more" % (len(problems) - 30))
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("load")
    for name in ("api", "token", "out"):
        p.add_argument("--" + name, required=True)
    for name in ("db", "resource", "round", "workers"):
        p.add_argument("--" + name, type=int, required=True)
    p.add_argument("--seconds", type=float, required=True)
    p = sub.add_parser("verify")
    p.add_argument("--api", required=True)
    p.add_argument("--token", required=True)
    for name in ("db", "resource", "workers"):
        p.add_argument("--" + name, type=int, required=True)
    p.add_argument("files", nargs="+")
    p = sub.add_parser("conflict")
    p.add_argument("--node", action="append", required=True)
    for name in ("db", "workers", "keys", "repeats"):
        p.add_argument("--" + name, type=int, required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    return {"load": cmd_load, "verify": cmd_verify, "conflict": cmd_conflict}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
