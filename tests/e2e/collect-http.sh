#!/bin/sh
# The collector against a real HTTP server that misbehaves on purpose
# (tests/servers/httpd.py): conditional GETs, redirects, 410, Retry-After,
# backoff, bombs, huge and endless bodies, hostile XML.  In every case a
# good feed served alongside still gets its items.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

mkdir -p "$T/www"
rss_feed "Good" "g-1|Good one|https://good.example.org/1" \
    "g-2|Good two|https://good.example.org/2" >"$T/www/good.xml"
rss_feed "Target" "t-1|Moved here|https://target.example.org/1" \
    >"$T/www/feed.xml"
cat >"$T/www/xxe.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>XXE &xxe;</title>
<item><guid>x-1</guid><title>Leak &xxe;</title>
<description>body &xxe; end</description></item></channel></rss>
EOF
{
	echo '<?xml version="1.0"?>'
	echo '<!DOCTYPE rss ['
	echo ' <!ENTITY lol "lol">'
	prev=lol
	for i in 1 2 3 4 5 6 7 8 9; do
		echo " <!ENTITY lol$i \"&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;\">"
		prev=lol$i
	done
	echo ']>'
	echo '<rss version="2.0"><channel><title>Laughs</title>'
	echo '<item><guid>l-1</guid><title>Ha &lol9;</title>'
	echo '<description>&lol9;</description></item></channel></rss>'
} >"$T/www/laughs.xml"
start_http "$T/www" || exit 1
write_config "$T/gazette.conf" 25
cat >>"$T/gazette.conf" <<'CONF'

[collect]
timeout = 2
max_size = 1M
CONF
base=http://127.0.0.1:$HTTP_PORT
DB=$T/gazette.db

# fresh URL...: a new database holding the good feed and the given ones
# (added without a check, so the misbehaving ones get in).
fresh() {
	rm -f "$DB" "$DB-wal" "$DB-shm"
	gz topic add news >/dev/null 2>&1
	gz feed add "$base/good.xml" --topic news --no-check >/dev/null 2>&1
	for u in "$@"; do
		gz feed add "$base$u" --topic news --no-check >/dev/null 2>&1
	done
}

# requests PATH: how many GETs of PATH the server saw so far.
requests() {
	grep -c "^GET $1 " "$HTTP_LOG"
}

# json FILE EXPR: a value of the collect --json output (python syntax on j).
json() {
	"$PY" -c 'import json, sys
j = json.load(open(sys.argv[1]))
feeds = {f["url"].split("/", 3)[3]: f for f in j["feeds"]}
print(eval(sys.argv[2]))' "$@" 2>/dev/null
}

# sql QUERY: one value from the database (or a change, committed).
sql() {
	"$PY" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
r = db.execute(sys.argv[2]).fetchone()
db.commit()
print(r[0] if r else "")' "$DB" "$1"
}

# collect_json NAME [ARGS]: collect --json into $T/NAME.json, stderr .err.
collect_json() {
	n=$1
	shift
	gz collect --json "$@" >"$T/$n.json" 2>"$T/$n.err"
}

good_gets_items() {	# good_gets_items RUN: the good feed's 2 items came
	is "$(json "$T/$1.json" 'feeds["good.xml"]["new_items"]')" 2 \
	    "$1_good_feed_alongside_gets_its_items"
}

# ---------------------------------------------------------- conditional GET
fresh
collect_json cond1
ok $? "first_collect_succeeds"
good_gets_items cond1
collect_json cond2
ok $? "second_collect_succeeds"
is "$(json "$T/cond2.json" 'j["not_modified"], j["fetched"]')" "(1, 0)" \
    "collect_skips_unchanged_feed_with_304"
is "$(requests /good.xml)" 2 "each_collect_costs_one_request"
last=$(grep "^GET /good.xml " "$HTTP_LOG" | tail -n 1)
case $last in
*" 304 if-none-match=\""*"if-modified-since="*GMT) ok 0 "stored_etag_and_last_modified_are_sent_back" ;;
*) ok 1 "stored_etag_and_last_modified_are_sent_back"; diag "$last" ;;
esac
is "$(sql "SELECT count(*) FROM items")" 2 "304_keeps_the_items_stored_once"
! grep -q "$(printf '\r')" "$T/cond1.err"
ok $? "no_progress_line_when_stderr_is_not_a_terminal"
if command -v script >/dev/null 2>&1; then
	gz topic add tty >/dev/null 2>&1
	gz feed add "$base/feed.xml" --topic tty --no-check >/dev/null 2>&1
	script -qec "\"$GAZETTE\" --config \"$T/gazette.conf\" collect --all" \
	    /dev/null >"$T/tty.out" 2>&1
	grep -q "collect: 1/2 feeds" "$T/tty.out"
	ok $? "progress_line_on_a_terminal"
fi

# ---------------------------------------------------- permanent redirects
fresh /moved "/moved?to=/good.xml&code=308"
collect_json moved
good_gets_items moved
is "$(sql "SELECT count(*) FROM feeds WHERE url = '$base/feed.xml'")" 1 \
    "301_stores_the_new_url"
is "$(json "$T/moved.json" 'feeds["moved"]["new_items"]')" 1 \
    "moved_feed_items_are_stored"
is "$(json "$T/moved.json" '"another feed" in feeds["moved?to=/good.xml&code=308"]["error"]')" \
    True "308_to_a_url_another_feed_has_is_an_error_not_a_crash"
is "$(sql "SELECT count(*) FROM feeds WHERE url LIKE '%moved?to%'")" 1 \
    "conflicting_move_keeps_the_old_url"
n=$(requests /moved)
gz collect --all >/dev/null 2>&1
is "$(requests /moved)" "$n" "moved_feed_is_fetched_at_its_new_url"

# -------------------------------------------------------------- 410 Gone
fresh /gone
collect_json gone
good_gets_items gone
is "$(sql "SELECT state FROM feeds WHERE url LIKE '%/gone'")" gone \
    "410_marks_the_feed_gone"
gz collect --all >/dev/null 2>&1
is "$(requests /gone)" 1 "gone_feed_is_not_fetched_again"
gz feed list >"$T/gone.list" 2>&1
grep -A3 "/gone" "$T/gone.list" | grep -q "state: gone"
ok $? "feed_list_shows_the_gone_state"

# ------------------------------------------------- Retry-After and backoff
fresh /busy /throttled /missing.xml
collect_json busy
good_gets_items busy
is "$(sql "SELECT next_fetch - last_fetch FROM feeds WHERE url LIKE '%/busy'")" \
    120 "503_retry_after_seconds_sets_next_fetch"
d=$(sql "SELECT next_fetch - last_fetch FROM feeds WHERE url LIKE '%/throttled'")
[ "$d" -ge 3590 ] && [ "$d" -le 3610 ]
ok $? "429_retry_after_http_date_sets_next_fetch"
is "$(sql "SELECT next_fetch - last_fetch FROM feeds WHERE url LIKE '%missing.xml'")" \
    1800 "first_failure_backs_off_half_an_hour"
gz feed list >"$T/busy.list" 2>&1
grep -A5 "/busy" "$T/busy.list" | grep -q "next fetch: not before"
ok $? "feed_list_shows_when_a_waiting_feed_is_next_fetched"
collect_json busy2
is "$(requests /busy)$(requests /throttled)$(requests /missing.xml)" 111 \
    "collect_leaves_feeds_that_are_not_due_alone"
is "$(json "$T/busy2.json" 'j["not_modified"], j["failed"]')" "(1, 0)" \
    "only_the_due_feed_is_fetched"
gz collect --all >/dev/null 2>&1
is "$(requests /missing.xml)" 2 "collect_all_fetches_feeds_not_due"
is "$(sql "SELECT next_fetch - last_fetch FROM feeds WHERE url LIKE '%missing.xml'")" \
    3600 "second_failure_doubles_the_backoff"
sql "UPDATE feeds SET consecutive_errors = 20 WHERE url LIKE '%missing.xml'" \
    >/dev/null
gz collect --feed "$base/missing.xml" >/dev/null 2>&1
is "$(sql "SELECT next_fetch - last_fetch FROM feeds WHERE url LIKE '%missing.xml'")" \
    86400 "backoff_stops_at_a_day"
is "$(requests /busy)" 2 "collect_all_fetches_feeds_waiting_for_retry_after"
gz collect --feed "$base/nope.xml" >/dev/null 2>"$T/nope.err"
is "$?" 65 "collect_of_an_unknown_feed_is_refused"

# ------------------------------------------------ bombs and huge bodies
fresh /gzip-bomb /huge /huge-chunked
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f %M -o "$T/rss" "$GAZETTE" --config "$T/gazette.conf" \
	    collect --json >"$T/bomb.json" 2>"$T/bomb.err"
	rss=$(tail -n 1 "$T/rss")
	[ "$rss" -lt 65536 ]
	ok $? "memory_stays_bounded_under_bombs"
	diag "max RSS ${rss} KB"
else
	collect_json bomb
fi
good_gets_items bomb
grep -q "/gzip-bomb: .*max_size" "$T/bomb.err"
ok $? "gzip_bomb_is_refused_with_an_error_naming_the_feed"
grep -q "/huge: .*max_size" "$T/bomb.err" &&
    grep -q "/huge-chunked: .*max_size" "$T/bomb.err"
ok $? "huge_bodies_are_refused_with_or_without_a_length"
is "$(sql "SELECT count(*) FROM items")" 2 "refused_bodies_store_nothing"

# ------------------------------------------- slow, endless, loops, empty
fresh /slow /endless /redirect-loop /empty
start=$(date +%s)
collect_json slow
end=$(date +%s)
good_gets_items slow
[ $((end - start)) -le 6 ]
ok $? "slow_and_endless_bodies_are_cut_by_the_timeout"
diag "run took $((end - start)) s with timeout = 2"
is "$(json "$T/slow.json" 'feeds["slow"]["error"] is not None and feeds["endless"]["error"] is not None')" \
    True "slow_and_endless_feeds_fail"
json "$T/slow.json" 'feeds["redirect-loop"]["error"]' | grep -qi "redirect"
ok $? "redirect_loop_is_stopped"
json "$T/slow.json" 'feeds["empty"]["error"]' | grep -q "empty document"
ok $? "empty_200_is_an_empty_document_error"
start=$(date +%s)
gz collect --all --concurrency 1 --feed "$base/slow" \
    --feed "$base/endless" >/dev/null 2>&1
end=$(date +%s)
[ $((end - start)) -ge 4 ]
ok $? "concurrency_1_fetches_one_feed_at_a_time"
gz collect --concurrency 0 >/dev/null 2>&1
is "$?" 64 "concurrency_out_of_range_is_a_usage_error"

# ------------------------------------------------------------ hostile XML
fresh /xxe.xml /laughs.xml
collect_json xml
good_gets_items xml
sql "SELECT group_concat(coalesce(title,'') || summary_html, ' ') FROM items" \
    >"$T/items.txt"
! grep -q "root:" "$T/items.txt"
ok $? "external_entity_is_not_expanded"
[ "$(wc -c <"$T/items.txt")" -lt 10000 ]
ok $? "billion_laughs_is_not_expanded"
grep -q "laughs.xml" "$T/xml.json"
ok $? "run_goes_on_after_hostile_xml"

done_testing
