#!/bin/sh
# contrib/bench/compose.sh - time compose and render for many subscribers.
#
# N subscribers (default 100000; BENCH_SUBSCRIBERS) spread over 10 topics,
# each topic one file:// feed of 20 new entries.  Times `compose --now`
# (queueing every digest) and then `send --dry-run`, which renders and
# builds every message: the two together are compose + render.  With
# BENCH_DELIVER=1 it also times a real send to a Maildir in the scratch
# folder.  Prints wall, CPU and peak RSS; never
# passes or fails.  Usage: compose.sh [N]
set -eu

GAZETTE=${GAZETTE:-./gazette}
case $GAZETTE in /*) ;; *) GAZETTE=$(pwd)/$GAZETTE ;; esac
N=${1:-${BENCH_SUBSCRIBERS:-100000}}
TOPICS=10
ENTRIES=20
# Entries a digest shows per topic: all the new ones, unless told.
MAX_ITEMS=${BENCH_MAX_ITEMS:-$ENTRIES}
top=$(cd "$(dirname "$0")/../.." && pwd)

command -v sqlite3 >/dev/null || { echo "compose.sh: needs sqlite3"; exit 0; }
[ -x /usr/bin/time ] || { echo "compose.sh: needs /usr/bin/time"; exit 0; }

W=$(mktemp -d)
[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$W"' EXIT INT TERM
cd "$W"

cat >gazette.conf <<CONF
[general]
database = gazette.db
title = Bench Weekly
base_url = https://news.example.org

[mail]
from = Bench Weekly <digest@news.example.org>
transport = maildir
maildir = maildir

[collect]
allow_file = yes

[digest]
template_dir = $top/templates
max_items_per_topic = $MAX_ITEMS
CONF

gz() { "$GAZETTE" --config gazette.conf -q "$@"; }

feed() {
	echo '<?xml version="1.0" encoding="utf-8"?>'
	echo '<rss version="2.0"><channel><title>Feed '"$1"'</title>'
	echo '<link>https://example.org/'"$1"'/</link><description>x</description>'
	i=1
	while [ $i -le $ENTRIES ]; do
		echo "<item><title>Topic $1 entry $i: a headline of some length</title>"
		echo "<link>https://example.org/$1/$i</link><guid>t$1-$i</guid>"
		echo "<pubDate>Mon, 0$(( i % 9 + 1 )) Nov 2026 10:00:00 GMT</pubDate>"
		echo "<description>&lt;p&gt;Entry $i of topic $1. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur.&lt;/p&gt;</description></item>"
		i=$((i + 1))
	done
	echo '</channel></rss>'
}

t=1
while [ $t -le $TOPICS ]; do
	gz topic add "t$t" --name "Topic $t"
	feed $t >"feed$t.xml"
	gz feed add "file://$W/feed$t.xml" --topic "t$t"
	t=$((t + 1))
done
# Subscribers straight into SQLite: a gazette command each would take
# longer than the run being measured.  Each gets one topic, round robin.
sqlite3 gazette.db <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO subscribers (email, name, token, created)
  SELECT 'user' || i || '@example.net', 'User ' || i,
    lower(hex(randomblob(16))), 0 FROM n;
INSERT INTO subscriptions (subscriber_id, topic_id, created)
  SELECT s.id, t.id, 0 FROM subscribers s
  JOIN topics t ON t.slug = 't' || ((s.id - 1) % $TOPICS + 1);
SQL
gz collect

measure() {
	label=$1
	shift
	/usr/bin/time -v "$@" 2>time.out >/dev/null || true
	awk -v l="$label" '
	/Elapsed \(wall/ { w = $NF }
	/User time/ { u = $NF }
	/System time/ { s = $NF }
	/Maximum resident/ { r = $NF }
	END { printf "%-8s wall %s  cpu %.2f s (user %s sys %s)  peak RSS %d MB\n",
	    l, w, u + s, u, s, r / 1024 }' time.out
}

echo "compose bench: $N subscribers, $TOPICS topics, $ENTRIES new entries each, $MAX_ITEMS shown"
measure compose "$GAZETTE" --config gazette.conf -q compose --now
echo "queued: $(sqlite3 gazette.db "SELECT count(*) FROM digests")"
# --dry-run renders and builds every queued message without delivering:
# compose + render, without the transport's disk writes and fsyncs.
measure render "$GAZETTE" --config gazette.conf -q send --dry-run
if [ "${BENCH_DELIVER:-0}" = 1 ]; then
	measure send "$GAZETTE" --config gazette.conf -q send
	echo "delivered: $(ls maildir/new | wc -l) messages"
fi
