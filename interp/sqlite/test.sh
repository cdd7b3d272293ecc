#!/bin/sh
# test.sh — the sqlite3 shell in wasm against the real oracle, Debian's native
# sqlite3, on the same database file: queries on the embedded database, a
# write transaction on it (journal created and deleted in the overlay), and a
# read-only mount opened both with ?immutable=1 and plainly.
set -u
B=$BUILD/sqlite
here=$(cd "$(dirname "$0")" && pwd)
RUN="tools/wasi-run --env HOME=/nonexistent"
pass=0 fail=0
same() { # name native-output wasm-output
  if [ -s "$2" ] && cmp -s "$2" "$3"; then pass=$((pass + 1)); echo "ok   $1 ($(wc -l < "$2") lines)"
  else fail=$((fail + 1)); echo "FAIL $1"; diff "$2" "$3" | head -10; fi
}
cp "$B/db/sample.db" "$B/copy.db"
sqlite3 "$B/copy.db" < "$here/queries.sql" > "$B/q.native" 2>&1
$RUN "$BUILD/sqlite.wasm" /db/sample.db < "$here/queries.sql" > "$B/q.wasm" 2>&1
same "queries on the embedded database = native sqlite3" "$B/q.native" "$B/q.wasm"

sqlite3 "$B/copy.db" < "$here/writes.sql" > "$B/w.native" 2>&1
$RUN "$BUILD/sqlite.wasm" /db/sample.db < "$here/writes.sql" > "$B/w.wasm" 2>&1
same "a write transaction and a rollback on the embedded database" "$B/w.native" "$B/w.wasm"

cp "$B/db/sample.db" "$B/copy.db"
sqlite3 "file:$B/copy.db?immutable=1" < "$here/queries.sql" > "$B/r.native" 2>&1
$RUN "$B/sqlite3-ro.wasm" "file:/db/sample.db?immutable=1" < "$here/queries.sql" > "$B/r1.wasm" 2>&1
same "read-only mount, ?immutable=1" "$B/r.native" "$B/r1.wasm"
$RUN "$B/sqlite3-ro.wasm" /db/sample.db < "$here/queries.sql" > "$B/r2.wasm" 2>&1
same "read-only mount, plain open" "$B/r.native" "$B/r2.wasm"
echo "DELETE FROM orders;" | $RUN "$B/sqlite3-ro.wasm" /db/sample.db > "$B/ro-write.txt" 2>&1
if grep -q "readonly database" "$B/ro-write.txt"; then pass=$((pass + 1)); echo "ok   read-only mount refuses a write: $(head -1 "$B/ro-write.txt")"
else fail=$((fail + 1)); echo "FAIL read-only write: $(cat "$B/ro-write.txt")"; fi
echo "sqlite: $pass passed, $fail failed"
[ $fail -eq 0 ]
