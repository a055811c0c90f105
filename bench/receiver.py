#!/usr/bin/env python3
"""A webhook receiver for bench/events-crash (standard library only, 127.0.0.1 only).

  receiver.py --port P --log FILE [--secret-file F]
      answers every POST 200 and appends one JSON line per batch to FILE: {"delivery", "ids", "sig_ok"}. The
      signature (X-Roster-Signature: sha256=<hex HMAC-SHA256 of the body>) is checked with the secret read from
      --secret-file (written once the webhook exists); "sig_ok" is null while that file does not exist yet.
  receiver.py check --log FILE --history FILE
      compares the event ids received with the history event ids (one per line): prints FIGURES missing=, extra=,
      duplicates=, batches=, double_batches=, bad_signatures= and exits 1 when an event is missing or a signature
      is bad.
"""
import argparse
import hashlib
import hmac
import http.server
import json
import os
import sys
import threading


def serve(args):
    lock = threading.Lock()
    out = open(args.log, "a", buffering=1)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            sig_ok = None
            if args.secret_file and os.path.exists(args.secret_file):
                secret = open(args.secret_file).read().strip().encode()
                expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
                sig_ok = hmac.compare_digest(expected, self.headers.get("X-Roster-Signature", ""))
            ids = [e["id"] for e in json.loads(body)]
            with lock:
                out.write(json.dumps({"delivery": self.headers.get("X-Roster-Delivery"), "ids": ids,
                                      "sig_ok": sig_ok}) + "\n")
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.serve_forever()


def check(args):
    history = [int(x) for x in open(args.history).read().split()]
    received, batches, bad, seen_batches, double = [], 0, 0, set(), 0
    for line in open(args.log):
        b = json.loads(line)
        batches += 1
        received.extend(b["ids"])
        if b["sig_ok"] is False:
            bad += 1
        key = tuple(b["ids"])
        if key in seen_batches:
            double += 1
        seen_batches.add(key)
    got, want = set(received), set(history)
    missing, extra = len(want - got), len(got - want)
    print("FIGURES missing=%d extra=%d duplicates=%d batches=%d double_batches=%d bad_signatures=%d events=%d"
          % (missing, extra, len(received) - len(got), batches, double, bad, len(want)))
    sys.exit(1 if missing or bad else 0)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "check":
        p = argparse.ArgumentParser()
        p.add_argument("cmd")
        p.add_argument("--log", required=True)
        p.add_argument("--history", required=True)
        check(p.parse_args())
    else:
        p = argparse.ArgumentParser()
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--log", required=True)
        p.add_argument("--secret-file")
        serve(p.parse_args())


if __name__ == "__main__":
    main()
