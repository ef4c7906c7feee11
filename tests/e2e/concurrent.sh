#!/bin/sh
# Commands on a database another process is using: a command waits for a
# writer that holds the lock briefly, many commands run at once without
# losing a change, a reader never blocks a writer, and a lock held past the
# busy timeout (10 s) fails the command cleanly with nothing half done.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

write_local_config "$T/gazette.conf"
gz topic add net --name Networking >/dev/null 2>&1
ok $? "setup_topic"

# hold MODE SECONDS: another process holds the database (MODE "write":
# BEGIN IMMEDIATE, the write lock; "read": an open read transaction) for
# SECONDS; returns once it holds it.  Sets HOLDER.
hold() {
	rm -f "$T/held"
	"$PY" - "$T/gazette.db" "$1" "$2" "$T/held" <<'PYEOF' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
if sys.argv[2] == "write":
    db.execute("BEGIN IMMEDIATE")
    db.execute("UPDATE topics SET name = name")
else:
    db.execute("BEGIN")
    db.execute("SELECT count(*) FROM subscribers").fetchone()
open(sys.argv[4], "w").write("held\n")
time.sleep(float(sys.argv[3]))
db.execute("COMMIT")
PYEOF
	HOLDER=$!
	wait_file "$T/held"
}

count_subscribers() {
	gz subscriber list --csv | tail -n +2 | grep -c .
}

# ---------------------------------------------- a writer holds the lock
hold write 2
start=$(date +%s)
gz subscriber add waited@example.org --topic net >/dev/null 2>"$T/err"
ok $? "a_command_waits_for_a_brief_writer_and_succeeds"
took=$(( $(date +%s) - start ))
[ "$took" -ge 1 ]
ok $? "it_waited_for_the_lock_instead_of_failing"
wait "$HOLDER"
is "$(status_of waited@example.org)" active "the_waiting_command_changed_the_database"

# ---------------------------------------------- a reader never blocks
hold read 5
start=$(date +%s)
gz subscriber add reader@example.org --topic net >/dev/null 2>&1
ok $? "a_write_goes_through_beside_an_open_reader"
[ $(( $(date +%s) - start )) -lt 4 ]
ok $? "without_waiting_for_the_reader"
gz subscriber list >/dev/null 2>&1
ok $? "a_second_reader_goes_through_too"
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null

# ---------------------------------------------- many at once
pids=""
i=1
while [ $i -le 8 ]; do
	gz subscriber add "many$i@example.org" --topic net >/dev/null \
	    2>"$T/many$i.err" &
	pids="$pids $!"
	i=$((i + 1))
done
gz topic add sec --name Security >/dev/null 2>&1 &
pids="$pids $!"
gz feed add "file://$T/nofeed.xml" --topic net --no-check >/dev/null 2>&1 &
pids="$pids $!"
gz subscriber list >/dev/null 2>&1 &
pids="$pids $!"
failed=0
for p in $pids; do
	wait "$p" || failed=$((failed + 1))
done
is "$failed" 0 "eleven_commands_at_once_all_succeed"
is "$(count_subscribers)" 10 "no_concurrent_change_is_lost"
gz topic list | grep -q "^sec" || gz topic list | grep -q " sec"
ok $? "the_concurrent_topic_is_there"

# ---------------------------------------------- a lock held too long
before=$(db_dump)
hold write 14
gz subscriber add late@example.org --topic net >/dev/null 2>"$T/late.err"
rc=$?
is "$rc" 75 "a_lock_held_past_the_busy_timeout_exits_75"
grep -q "database is locked" "$T/late.err"
ok $? "and_says_the_database_is_locked"
wait "$HOLDER"
is "$(db_dump)" "$before" "and_nothing_was_changed"

done_testing
