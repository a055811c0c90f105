#!/usr/bin/env python3
"""Writes ROWS generated profiles as a CSV (header row) or JSON Lines file, streamed, for bench/cli-crash and
bench/cli-import. Every 500th row repeats the email of a row 250 rows earlier with other values (the later row wins).
  gen_profiles.py FILE ROWS csv|jsonl [RESOURCE_ID (jsonl: each profile gets an email subscription to it)]"""
import json, sys

path, rows, fmt = sys.argv[1], int(sys.argv[2]), sys.argv[3]
resource = int(sys.argv[4]) if len(sys.argv) > 4 else None
with open(path, "w", buffering=1 << 20) as f:
    if fmt == "csv":
        f.write("email,_fname,_lname,_sex,_bdate,phones,CRM_ID\n")
    for i in range(rows):
        n, name = (i - 250, "Second") if i % 500 == 499 else (i, "Ivan%d" % (i % 997))
        email = "cli%d@example.com" % n
        phone = "+7901%07d" % (n % 10000000)
        bdate = "19%02d-%02d-%02d" % (50 + i % 50, 1 + i % 12, 1 + i % 28)
        if fmt == "csv":
            f.write('%s,"%s","Petrov, %d",%s,%s,%s,%d\n' % (email, name, i % 13, "male" if i % 2 else "female", bdate, phone, i))
        else:
            data = {"email": email, "_fname": name, "_lname": "Petrov, %d" % (i % 13), "_sex": "male" if i % 2 else "female",
                    "_bdate": bdate, "phones": [phone], "CRM_ID": i}
            if resource is not None:
                data["subscriptions"] = [{"channel": "email", "email": email, "resource_id": resource}]
            f.write(json.dumps(data) + "\n")
