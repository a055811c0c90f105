#!/usr/bin/env python3
"""Writes the files of bench/reimport: ROWS distinct profiles as JSON Lines, each with one email subscription to
RESOURCE_ID; with a SUFFIX every row's _fname ends with it (one changed field per profile). Also splits a file into
profiles/import_batch bodies of SIZE items for database DB_ID.
  gen_reimport.py lines FILE ROWS RESOURCE_ID [SUFFIX]
  gen_reimport.py batches FILE DIR SIZE DB_ID"""
import json, os, sys

if sys.argv[1] == "lines":
    path, rows, resource = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    suffix = sys.argv[5] if len(sys.argv) > 5 else ""
    with open(path, "w", buffering=1 << 20) as f:
        for i in range(rows):
            email = "night%d@example.com" % i
            data = {"email": email, "_fname": "Ivan%d%s" % (i % 997, suffix), "_lname": "Petrov",
                    "phones": ["+7901%07d" % i], "CRM_ID": i,
                    "subscriptions": [{"channel": "email", "email": email, "resource_id": resource}]}
            f.write(json.dumps(data) + "\n")
else:
    path, out, size, db = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    os.makedirs(out, exist_ok=True)
    with open(path) as f:
        n, items = 0, []
        def flush():
            global n, items
            with open(os.path.join(out, "batch-%06d.json" % n), "w") as b:
                b.write('{"db_id":%d,"matching":"email","data":[%s]}' % (db, ",".join(items)))
            n, items = n + 1, []
        for line in f:
            items.append(line.strip())
            if len(items) == size:
                flush()
        if items:
            flush()
