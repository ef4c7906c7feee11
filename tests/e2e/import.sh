#!/bin/sh
# subscriber import and export through the real CLI: good files, bad rows
# reported by line with nothing kept, --skip-invalid, --dry-run, standard
# input, updates instead of duplicates, the export -> import round trip,
# and --csv output of every list and show command read back by Python.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$T" || exit 1
export GAZETTE_DB="$T/i.db"
unset GAZETTE_CONF NO_COLOR

g() {
	"$GAZETTE" "$@"
}

dump() {
	"$PY" -c 'import sqlite3, sys
for line in sqlite3.connect(sys.argv[1]).iterdump():
    print(line)' "$GAZETTE_DB"
}

count() {
	"$PY" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' \
	    "$GAZETTE_DB" "$1"
}

# csv_rows FILE: "rows=N cols=M" when every row has the header's width.
csv_rows() {
	"$PY" -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
w = {len(r) for r in rows}
print("rows=%d cols=%s" % (len(rows), ",".join(map(str, sorted(w)))))' "$1"
}

g -q topic add news
g -q topic add tech
g -q topic add sport

printf '\357\273\277email,name,topics,frequency\r\n' >good.csv
printf 'ann@example.org,Ann,news,weekly\r\n' >>good.csv
printf '"bob@example.org","Bob ""B"", Jr.",news;tech,daily\n' >>good.csv
printf 'cy@example.org,,tech sport,\n' >>good.csv
g subscriber import good.csv >out 2>err
is "$?" 0 "a good file imports"
is "$(cat out)" "3 added, 0 updated, 0 unchanged, 0 skipped" \
    "the summary counts what was added"
is "$(count 'SELECT count(*) FROM subscriptions')" 5 \
    "every topic of every row is subscribed"
is "$(count "SELECT name FROM subscribers WHERE email = 'bob@example.org'")" \
    'Bob "B", Jr.' "quoted names with commas and quotes survive"
is "$(count "SELECT frequency FROM subscribers WHERE email = 'bob@example.org'")" \
    daily "the frequency column is used"

dump >before.sql
cat >bad.csv <<'CSV'
email,topics,status,frequency
dee@example.org,news,active,weekly
not-an-address,news,active,weekly
eve@example.org,nosuch,active,weekly
fay@example.org,news,sleeping,weekly
gus@example.org,news,active,hourly
DEE@example.org,news,active,weekly
CSV
printf '"hal@example.org\n",news,active,weekly\n' >>bad.csv
printf 'ivy@example.org,news,active\n' >>bad.csv
g subscriber import bad.csv >out 2>err
is "$?" 65 "bad rows: exit 65"
dump >after.sql
check "bad rows: the database is unchanged" cmp before.sql after.sql
grep -q '^bad.csv:3: invalid address' err; ok $? "a bad address is reported with its line"
grep -q "^bad.csv:4: unknown topic 'nosuch'" err; ok $? "an unknown topic is reported with its line"
grep -q "^bad.csv:5: status must be" err; ok $? "a bad status is reported with its line"
grep -q "^bad.csv:6: frequency must be" err; ok $? "a bad frequency is reported with its line"
grep -q "^bad.csv:7: DEE@example.org is already on line 2" err
ok $? "a duplicate address names the first line"
grep -q "^bad.csv:8: invalid address: contains a control character" err
ok $? "a CR inside an address is refused"
grep -q "^bad.csv:10: 3 fields where the header has 4" err
ok $? "a short row is reported with its line"
is "$(grep -c '^bad.csv:' err)" 7 "every bad row is reported, no others"

g subscriber import --dry-run --skip-invalid bad.csv >out 2>err
is "$?" 0 "--dry-run --skip-invalid succeeds"
is "$(cat out)" "dry run, nothing written: 1 added, 0 updated, 0 unchanged, 7 skipped" \
    "--dry-run says what would happen"
dump >after.sql
check "--dry-run writes nothing" cmp before.sql after.sql

g subscriber import --skip-invalid bad.csv >out 2>err
is "$?" 0 "--skip-invalid imports the good rows"
is "$(cat out)" "1 added, 0 updated, 0 unchanged, 7 skipped" \
    "--skip-invalid counts the skipped rows"
is "$(count "SELECT count(*) FROM subscribers WHERE email = 'dee@example.org'")" 1 \
    "the good row is in"

printf 'email,name,topics,status\nANN@example.org,Ann Smith,tech,unsubscribed\nbob@example.org,"Bob ""B"", Jr.",news;tech,active\n' |
    g subscriber import - >out 2>err
is "$?" 0 "standard input is read with -"
is "$(cat out)" "0 added, 1 updated, 1 unchanged, 0 skipped" \
    "existing addresses (any case) are updated, not added"
is "$(count "SELECT count(*) FROM subscribers WHERE email LIKE 'ann@%'")" 1 \
    "no duplicate subscriber"
is "$(count "SELECT name || '/' || status FROM subscribers WHERE email = 'ann@example.org'")" \
    "Ann Smith/unsubscribed" "name and status are updated"
is "$(count "SELECT group_concat(t.slug) FROM subscriptions s JOIN topics t ON t.id = s.topic_id JOIN subscribers u ON u.id = s.subscriber_id WHERE u.email = 'ann@example.org'")" \
    tech "topics are replaced by the row's"
printf 'email\nx@example.org,extra\n' | g subscriber import - >out 2>err
grep -q '^<stdin>:2: ' err; ok $? "standard input is named <stdin> in reports"
printf 'email,colour\nx@example.org,red\n' | g subscriber import - >out 2>err
is "$?" 65 "an unknown column is refused"
grep -q "<stdin>:1: unknown column 'colour'" err; ok $? "an unknown column is named"
printf 'email\n"x@example.org\n' | g subscriber import - >out 2>err
is "$?" 65 "an unbalanced quote is refused"
grep -q "<stdin>:2: a quoted field starts here and never ends" err
ok $? "an unbalanced quote is reported with its line"

# Bytes that are no UTF-8, and a field no person's name needs, through the
# command: named by file and line, exit 65, nothing written.
dump >before.sql
printf 'email,name,topics
jo@example.org,Jo,news
kim@example.org,K\377m,news
' \
    >latin1.csv
g subscriber import latin1.csv >out 2>err
is "$?" 65 "a name that is not UTF-8 is refused"
grep -q '^latin1.csv:3: .*UTF-8' err
ok $? "the bytes that are not UTF-8 are reported with file and line"
"$PY" -c 'import sys
sys.stdout.write("email,name,topics\nlee@example.org,%s,news\n" % ("x" * 200000))' \
    >long.csv
g subscriber import long.csv >out 2>err
is "$?" 65 "a 200,000-character field is refused"
grep -q '^long.csv:2: ' err
ok $? "the overlong field is reported with file and line"
dump >after.sql
check "invalid UTF-8 and an overlong field: the database is unchanged" \
    cmp before.sql after.sql

g subscriber export -o export.csv
is "$?" 0 "export writes a file"
is "$(csv_rows export.csv)" "rows=5 cols=5" "the export is CSV: a header and one row per subscriber"
is "$(head -n 1 export.csv)" "$(printf 'email,name,topics,status,frequency\r')" \
    "the export starts with the header, CRLF line ends"
dump >before.sql
g subscriber import export.csv >out 2>err
is "$(cat out)" "0 added, 0 updated, 4 unchanged, 0 skipped" \
    "importing the export changes no subscriber"
dump >after.sql
check "the round trip leaves the database unchanged" cmp before.sql after.sql
g subscriber export >stdout.csv
check "export writes standard output by default" cmp export.csv stdout.csv

rm -f "$GAZETTE_DB"
g -q topic add news
g -q topic add tech
g -q topic add sport
g subscriber import export.csv >out 2>err
is "$(cat out)" "4 added, 0 updated, 0 unchanged, 0 skipped" "the export imports into a new database"
g subscriber export >again.csv
check "and exports the same again" cmp export.csv again.csv

g -q feed add --no-check http://127.0.0.1:9/feed.xml --topic news
for cmd in "topic list" "feed list" "feed show http://127.0.0.1:9/feed.xml" \
    "subscriber list" "subscriber show bob@example.org" "outbox list"; do
	# shellcheck disable=SC2086
	g $cmd --csv >list.csv 2>err
	rc=$?
	"$PY" -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert len(rows) >= 1 and all(len(r) == len(rows[0]) for r in rows), rows' \
	    list.csv 2>>err
	ok $((rc + $?)) "$cmd --csv is CSV with a header row"
done
is "$(g subscriber list --csv | "$PY" -c 'import csv, sys
r = list(csv.DictReader(sys.stdin))
print(len(r), [x["topics"] for x in r if x["email"] == "bob@example.org"][0])')" \
    "4 news;tech" "subscriber list --csv: one row each, topics with ';'"
g outbox list --json >list.json
is "$?" 0 "outbox list --json works"
"$PY" -c 'import json, sys; assert json.load(open(sys.argv[1])) == []' list.json
ok $? "outbox list --json is a JSON array"
g outbox show 1 --json >/dev/null 2>err
is "$?" 65 "outbox show --json of a missing digest exits 65"
g topic list --csv --json >/dev/null 2>err
is "$?" 64 "--csv and --json together are a usage error"

# On a terminal (script(1) gives the command a pseudo-terminal) the list is
# an aligned table, and with NO_COLOR set it holds no escape sequence.
if command -v script >/dev/null 2>&1; then
	NO_COLOR=1 TERM=xterm-256color script -qec \
	    "'$GAZETTE' subscriber list; '$GAZETTE' topic list; '$GAZETTE' outbox list" /dev/null \
	    </dev/null >tty.txt 2>&1
	is "$?" 0 "NO_COLOR: the lists run on a terminal"
	grep -q '^EMAIL  *NAME  *STATUS' tty.txt && grep -q '^SLUG  *NAME  *FEEDS  *SUBSCRIBERS' tty.txt &&
	    grep -q '^ID  *STATE  *EMAIL  *ATTEMPTS  *WHEN  *LAST ERROR' tty.txt
	ok $? "on a terminal, subscriber, topic and outbox list are tables with a heading row"
	"$PY" -c 'import sys
rows = open(sys.argv[1], encoding="utf-8").read().split("EMAIL", 1)[1]
rows = ("EMAIL" + rows).split("SLUG")[0].splitlines()
assert len(rows) > 2
col = rows[0].index("STATUS")
sys.exit(not all(r[col - 2:col] == "  " and r[col] != " " for r in rows[1:]))' tty.txt
	ok $? "on a terminal, every status stands under STATUS"
	"$PY" -c 'import sys; sys.exit(b"\x1b" in open(sys.argv[1], "rb").read())' tty.txt
	ok $? "NO_COLOR on a terminal: no escape sequences"
else
	diag "script(1) is not installed: the terminal case is not checked"
fi
g feed list >pipe.txt
"$PY" -c 'import sys; sys.exit(b"\x1b" in open(sys.argv[1], "rb").read())' pipe.txt
ok $? "not a terminal: no escape sequences"

done_testing
