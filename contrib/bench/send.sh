#!/bin/sh
# send.sh - how fast gazette sends digests over SMTP, next to postfix's
# smtp-source sending messages of the same size to the same smtp-sink.
#
# Makes BENCH_DIGESTS (default 10000) digests of about 50 KB (one topic,
# 25 long entries), then times "gazette send" (render, MIME, SMTP and the
# outbox bookkeeping) with 1 and 4 connections, and smtp-source with as
# many sessions.  Prints figures only; all traffic stays on 127.0.0.1.
#
# usage: contrib/bench/send.sh        (GAZETTE=path/to/gazette to choose)
set -eu

GAZETTE=${GAZETTE:-./gazette}
N=${BENCH_DIGESTS:-10000}
SINK=/usr/sbin/smtp-sink
SOURCE=/usr/sbin/smtp-source
PY=/usr/bin/python3
. "$(dirname "$0")/bench.subr"

for tool in "$SINK" "$SOURCE" "$BENCH_TIME" "$PY"; do
	[ -x "$tool" ] || { echo "send.sh: $tool is missing" >&2; exit 1; }
done
case $GAZETTE in /*) ;; *) GAZETTE=$(pwd)/$GAZETTE ;; esac
# The source tree's templates, so an uninstalled build works too.
TEMPLATES=${GAZETTE_TEMPLATES:-$(cd "$(dirname "$0")/../.." && pwd)/templates}

bench_scratch
port=$(free_port)
sink_user=""
[ "$(id -u)" -eq 0 ] && sink_user="-u nobody"
# shellcheck disable=SC2086
"$SINK" $sink_user "127.0.0.1:$port" 1000 >/dev/null 2>"$W/sink.err" &
server_pids=$!
"$PY" - "$port" <<'PYEOF' || { cat "$W/sink.err"; exit 1; }
import socket, sys, time
for _ in range(50):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PYEOF

# ---------------------------------------------------- the digests
"$PY" - "$W/feed.xml" <<'PYEOF'
import sys
words = ("network latency packet router switch kernel scheduler memory "
         "compiler parser protocol certificate mailbox digest archive").split()
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">'
            '<channel><title>Bench</title><link>https://bench.example.org/'
            '</link>\n')
    for i in range(25):
        body = " ".join(words[(i * 7 + j) % len(words)] for j in range(72))
        f.write('<item><guid>b-%d</guid><title>Story %d about %s</title>'
                '<link>https://bench.example.org/%d</link>'
                '<pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate>'
                '<description>&lt;p&gt;%s&lt;/p&gt;</description></item>\n'
                % (i, i, words[i % len(words)], i, body))
    f.write('</channel></rss>\n')
PYEOF
cat >"$W/gazette.conf" <<CONF
[general]
database = gazette.db
title = Bench Weekly
base_url = https://bench.example.org
[mail]
from = Bench Weekly <digest@bench.example.org>
transport = smtp
[smtp]
host = 127.0.0.1
port = $port
tls = none
connections = 1
[collect]
allow_file = yes
[digest]
max_items_per_topic = 25
excerpt_words = 300
template_dir = $TEMPLATES
CONF
g() {
	"$GAZETTE" --config "$W/gazette.conf" "$@" 2>>"$W/setup.err"
}
g topic add bench >/dev/null
g feed add "file://$W/feed.xml" --topic bench --no-check >/dev/null 2>&1 ||
    g feed add "file://$W/feed.xml" --topic bench >/dev/null
g subscriber add first@bench.example.org --topic bench >/dev/null
"$PY" - "$W/gazette.db" "$N" <<'PYEOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
topic = db.execute("SELECT id FROM topics").fetchone()[0]
for i in range(2, int(sys.argv[2]) + 1):
    cur = db.execute("INSERT INTO subscribers (email, name, token, created)"
                     " VALUES (?, ?, ?, 0)", ("reader%d@bench.example.org" % i,
                                            "Reader %d" % i, "tok%032d" % i))
    db.execute("INSERT INTO subscriptions (subscriber_id, topic_id, created)"
               " VALUES (?, ?, 0)", (cur.lastrowid, topic))
db.commit()
PYEOF
g collect >/dev/null
g compose >/dev/null
size=$(g send --dry-run 2>/dev/null | head -n 1 | cut -f 3)
queued=$(g send --dry-run 2>/dev/null | wc -l)
echo "digests: $queued queued, $size bytes each"
"$PY" -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute(
    "PRAGMA wal_checkpoint(TRUNCATE)")' "$W/gazette.db"
cp "$W/gazette.db" "$W/queued.db"

# run_timed NAME COMMAND...: timed, failing with the command's last
# words when it fails; sets SECS, CPU and RSS_MB.
run_timed() {
	name=$1
	shift
	timed "$W/$name.time" "$@" >"$W/$name.out" 2>"$W/$name.err"
	[ "$RC" -eq 0 ] || { tail -n 30 "$W/$name.err" >&2; return 1; }
}

for conns in ${BENCH_CONNECTIONS:-1 4}; do
	cp "$W/queued.db" "$W/gazette.db"
	rm -f "$W/gazette.db-wal" "$W/gazette.db-shm"
	sed -i "s/^connections = .*/connections = $conns/" "$W/gazette.conf"
	run_timed "gazette$conns" "$GAZETTE" --config "$W/gazette.conf" -q send
	g_rate=$(per_sec "$queued" "$SECS")
	printf 'gazette send, %d connection(s): %s msg/s (%ss wall, %ss CPU, peak RSS %s MB)\n' \
	    "$conns" "$g_rate" "$SECS" "$CPU" "$RSS_MB"
	run_timed "source$conns" "$SOURCE" -s "$conns" -m "$queued" -l "$size" -d \
	    -f digest@bench.example.org -t reader@bench.example.org \
	    "127.0.0.1:$port"
	s_rate=$(per_sec "$queued" "$SECS")
	printf 'smtp-source,  %d session(s):    %s msg/s (%ss wall, %ss CPU, peak RSS %s MB)\n' \
	    "$conns" "$s_rate" "$SECS" "$CPU" "$RSS_MB"
	awk -v g="$g_rate" -v s="$s_rate" -v c="$conns" 'BEGIN {
	    printf "ratio gazette/smtp-source, %d connection(s): %.0f %%\n",
	    c, (s > 0 ? 100 * g / s : 0) }'
done
