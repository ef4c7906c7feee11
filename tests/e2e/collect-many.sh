#!/bin/sh
# Many feeds in one run, over a real HTTP server: every feed's items are
# stored once whichever worker thread parsed it, and a run of 304s past
# one batch (512 feeds) records every one of them.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

N=700
mkdir -p "$T/www"
rss_feed "Many" "m-1|First|https://many.example.org/1" \
    "m-2|Second|https://many.example.org/2" >"$T/www/many.xml"
start_http "$T/www" || exit 1
write_config "$T/gazette.conf" 25
base=http://127.0.0.1:$HTTP_PORT
{
	echo '<?xml version="1.0"?><opml version="2.0"><head/><body>'
	echo '<outline text="news">'
	i=1
	while [ $i -le $N ]; do
		echo "<outline type=\"rss\" text=\"f$i\" xmlUrl=\"$base/many.xml?n=$i\"/>"
		i=$((i + 1))
	done
	echo '</outline></body></opml>'
} >"$T/feeds.opml"
gz feed import "$T/feeds.opml" >/dev/null 2>"$T/import.err"
ok $? "import_of_${N}_feeds"
is "$(sql "SELECT count(*) FROM feeds")" $N "${N}_feeds_stored"

# summary RUN: fetched, not modified, failed and new items of a run.
summary() {
	"$PY" -c 'import json, sys
j = json.load(open(sys.argv[1]))
print(j["fetched"], j["not_modified"], j["failed"], j["new_items"],
      len(j["feeds"]))' "$T/$1.json"
}

gz collect --json >"$T/first.json" 2>"$T/first.err"
ok $? "first_collect_succeeds"
is "$(summary first)" "$N 0 0 $((N * 2)) $N" \
    "first_collect_fetches_every_feed_and_reports_each_once"
is "$(sql "SELECT count(*) || ' ' || count(DISTINCT feed_id) FROM items")" \
    "$((N * 2)) $N" "every_feed_has_its_two_items_once"
is "$(sql "SELECT count(*) FROM items WHERE title = 'Second'")" $N \
    "each_item_is_read_whole"

sql "UPDATE feeds SET last_error = 'old', consecutive_errors = 2" >/dev/null
gz collect --json --all >"$T/second.json" 2>"$T/second.err"
ok $? "second_collect_succeeds"
is "$(summary second)" "0 $N 0 0 $N" "second_collect_gets_only_304s"
is "$(sql "SELECT count(*) FROM feeds WHERE last_status = 304
    AND last_error IS NULL AND consecutive_errors = 0
    AND last_fetch >= (SELECT max(fetched) FROM items)")" $N \
    "every_304_is_recorded_past_one_batch"
is "$(sql "SELECT count(*) FROM items")" $((N * 2)) "304s_store_nothing"

# A third item: every feed changes and is parsed again.
sleep 1
rss_feed "Many" "m-1|First|https://many.example.org/1" \
    "m-2|Second|https://many.example.org/2" \
    "m-3|Third|https://many.example.org/3" >"$T/www/many.xml"
gz collect --json --all >"$T/third.json" 2>"$T/third.err"
ok $? "third_collect_succeeds"
is "$(summary third)" "$N 0 0 $N $N" "third_collect_finds_one_new_item_a_feed"
is "$(sql "SELECT count(*) || ' ' || count(DISTINCT feed_id || ' ' || key)
    FROM items")" "$((N * 3)) $((N * 3))" "items_are_stored_once_each"
done_testing
