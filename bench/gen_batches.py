#!/usr/bin/env python3
"""Writes the same profiles as Roster import_batch bodies and as multi-row SQL upserts, for bench/import-batch."""
import hashlib, json, sys, os

out, batches, size, db_id, salt = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
phone_offset = int(sys.argv[6]) if len(sys.argv) > 6 else 0
os.makedirs(out, exist_ok=True)
for b in range(batches):
    items, rows = [], []
    for i in range(size):
        n = b * size + i
        email = f"batch{salt}-{n}@example.com"
        phone = "+79%09d" % ((phone_offset + n) % 1000000000)
        data = {"email": email, "_fname": "Ivan", "_lname": "Petrov", "_sex": "male",
                "_bdate": "1990-01-15T12:00:00Z", "_city": "Moscow", "phones": [phone]}
        items.append(data)
        row = json.dumps(data).replace("'", "''")
        rows.append(f"('{hashlib.md5(email.encode()).hexdigest()[:24]}', '{email}', '{row}', 1)")
    with open(f"{out}/batch-{b:04d}.json", "w") as f:
        json.dump({"db_id": int(db_id), "matching": "email", "data": items}, f)
    with open(f"{out}/batch-{b:04d}.sql", "w") as f:
        f.write("insert into profiles (id, email, data, updated_at) values " + ", ".join(rows)
                + " on conflict (email) do update set data = excluded.data, updated_at = excluded.updated_at;\n")
