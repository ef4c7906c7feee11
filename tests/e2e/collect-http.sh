#!/bin/sh
# The collector against a real HTTP server that misbehaves on purpose
# (tests/servers/httpd.py): conditional GETs, redirects, 410, Retry-After,
# backoff, bombs, huge and endless bodies, hostile and broken XML, charsets.
# In every case a good feed served alongside still gets its items.
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
# Broken XML: cut off in the third item, and a mismatched tag in the second.
rss_feed "Cut" "c-1|Cut one|https://cut.example.org/1" \
    "c-2|Cut two|https://cut.example.org/2" \
    "c-3|Cut three|https://cut.example.org/3" | head -c -60 >"$T/www/truncated.xml"
cat >"$T/www/mismatch.xml" <<'EOF'
<?xml version="1.0"?>
<rss version="2.0"><channel><title>Mismatch</title>
<item><guid>m-1</guid><title>one</title></item>
<item><guid>m-2</guid><title>two</i></title></item>
<item><guid>m-3</guid><title>three</title></item>
</channel></rss>
EOF
cp "$T/www/feed.xml" "$T/www/chain.xml"
# One 10 KB entity used 5,000 times: 50 MB if every reference were expanded.
"$PY" - "$T/www/quadratic.xml" <<'EOF'
import sys
refs = "&e;" * 5000
open(sys.argv[1], "w").write(
    '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY e "%s">]>\n'
    '<rss version="2.0"><channel><title>Quadratic</title>\n'
    '<item><guid>q-1</guid><title>t %s</title>'
    '<description>%s</description></item>\n'
    '<item><guid>q-2</guid><link>https://q.example.org/%s</link></item>\n'
    '</channel></rss>\n' % ("x" * 10000, refs, refs, refs))
EOF
# Greek in ISO-8859-7 under a declaration that says UTF-8: only the HTTP
# charset tells.
printf '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>' \
    >"$T/www/greek.xml"
printf '<title>\341\342\343 news</title>\n' >>"$T/www/greek.xml"
printf '<item><guid>gr-1</guid><title>\341\342</title></item></channel></rss>\n' \
    >>"$T/www/greek.xml"
cat >"$T/www/podcast.xml" <<'EOF'
<?xml version="1.0"?>
<rss version="2.0"><channel><title>Pod</title>
<item><guid isPermaLink="false">p-1</guid><title>Episode 1</title>
<enclosure url="https://cdn.example.org/p1.mp3" type="audio/mpeg" length="9"/>
</item></channel></rss>
EOF
echo "SECRET-CONTENT" >"$T/www/secret.txt"
start_http "$T/www" || exit 1
write_config "$T/gazette.conf" 25
cat >>"$T/gazette.conf" <<'CONF'

[collect]
timeout = 2
max_size = 1M
CONF
base=http://127.0.0.1:$HTTP_PORT
DB=$T/gazette.db
# External entities and DTDs on our own server: it must see no request.
cat >"$T/www/xxe-http.xml" <<EOF
<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "$base/dtd/rss.dtd" [
 <!ENTITY % remote SYSTEM "$base/dtd/param.dtd">
 %remote;
 <!ENTITY ext SYSTEM "$base/secret.txt">
]>
<rss version="2.0"><channel><title>Ext &ext;</title>
<item><guid>h-1</guid><title>Leak &ext;</title>
<description>body &ext; end</description></item></channel></rss>
EOF

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
*" 304 if-none-match=\""*"if-modified-since="*GMT" user-agent="*) ok 0 "stored_etag_and_last_modified_are_sent_back" ;;
*) ok 1 "stored_etag_and_last_modified_are_sent_back"; diag "$last" ;;
esac
is "$(sql "SELECT count(*) FROM items")" 2 "304_keeps_the_items_stored_once"
version=$("$GAZETTE" --version | sed 's/^gazette //')
ua="gazette/$version (+https://github.com/gazette-digest/gazette)"
is "$(grep "^GET /good.xml " "$HTTP_LOG" | sed 's/.* user-agent=//' | sort -u)" \
    "$ua" "collect_sends_a_user_agent_with_version_and_project_url"
! grep -q "$(printf '\r')" "$T/cond1.err"
ok $? "no_progress_line_when_stderr_is_not_a_terminal"

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

# ----------------------------------------- chains of redirects, file://
# Only permanent hops move a feed: 301 -> 302 -> 200 moves it to the 302's
# URL (the publisher may point the 302 elsewhere tomorrow).
c1='/moved?to=/moved%3Fto%3D/feed.xml%26code%3D302'	# 301, 302
c2='/moved?to=/moved%3Fto%3D/feed.xml&code=302'		# 302, 301
c3='/moved?to=/moved%3Fto%3D/chain.xml%26code%3D308'	# 301, 308
fresh "$c1" "$c2" "$c3"
collect_json chain
good_gets_items chain
is "$(sql "SELECT count(*) FROM feeds WHERE url = '$base/moved?to=/feed.xml&code=302'")" \
    1 "301_then_302_moves_the_feed_to_the_302s_url"
is "$(sql "SELECT count(*) FROM feeds WHERE url = '$base$c2'")" 1 \
    "302_then_301_leaves_the_feed_where_it_was"
is "$(sql "SELECT count(*) FROM feeds WHERE url = '$base/chain.xml'")" 1 \
    "301_then_308_moves_the_feed_to_the_end"
is "$(sql "SELECT count(*) FROM feeds WHERE url = '$base/feed.xml'")" 0 \
    "no_feed_moves_past_a_temporary_redirect"
is "$(json "$T/chain.json" 'j["failed"], j["fetched"]')" "(0, 4)" \
    "redirect_chains_are_fetched"

fresh "/moved?to=file:///etc/passwd&code=302"
collect_json tofile
good_gets_items tofile
json "$T/tofile.json" 'feeds["moved?to=file:///etc/passwd&code=302"]["error"]' |
    grep -qi "protocol"
ok $? "redirect_to_file_url_is_refused"
cp "$T/gazette.conf" "$T/gazette.conf.keep"
printf '\n[collect]\nallow_file = yes\n' >>"$T/gazette.conf"
collect_json tofile2 --all
mv "$T/gazette.conf.keep" "$T/gazette.conf"
json "$T/tofile2.json" 'feeds["moved?to=file:///etc/passwd&code=302"]["error"]' |
    grep -qi "protocol"
ok $? "redirect_to_file_url_is_refused_even_when_file_feeds_are_allowed"
! sql "SELECT group_concat(coalesce(title, ''), ' ') FROM items" | grep -q "root:"
ok $? "nothing_of_the_local_file_is_stored"

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

fresh /xxe-http.xml
collect_json xxehttp
good_gets_items xxehttp
is "$(requests /secret.txt)$(grep -c "^GET /dtd/" "$HTTP_LOG")" 00 \
    "external_entity_and_dtd_over_http_are_not_fetched"
is "$(json "$T/xxehttp.json" 'feeds["xxe-http.xml"]["new_items"]')" 1 \
    "feed_with_http_external_entity_is_read"
gz parse "$base/xxe-http.xml" >/dev/null 2>&1
is "$(requests /secret.txt)" 0 "parse_does_not_fetch_external_entities_either"
! sql "SELECT group_concat(coalesce(title,'') || summary_html, ' ') FROM items" |
    grep -q SECRET
ok $? "external_entity_over_http_is_not_expanded"

# One entity used 5,000 times: expansions stop at a budget, with a warning.
fresh /quadratic.xml
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f %M -o "$T/rss" "$GAZETTE" --config "$T/gazette.conf" \
	    collect --json >"$T/quad.json" 2>"$T/quad.err"
	rss=$(tail -n 1 "$T/rss")
	[ "$rss" -lt 65536 ]
	ok $? "memory_stays_bounded_under_entity_expansion"
	diag "max RSS ${rss} KB"
else
	collect_json quad
fi
good_gets_items quad
is "$(json "$T/quad.json" 'feeds["quadratic.xml"]["new_items"]')" 2 \
    "quadratic_blowup_feed_items_are_stored"
n=$(sql "SELECT sum(length(coalesce(title,'')) + length(coalesce(link,'')) +
    length(coalesce(summary_html,''))) FROM items")
[ "$n" -lt 1000000 ]
ok $? "quadratic_blowup_stores_bounded_text"
diag "stored ${n} bytes of item text"
json "$T/quad.json" 'feeds["quadratic.xml"]["warning"]' | grep -q "entity"
ok $? "quadratic_blowup_is_reported_as_a_warning"
gz parse --json "$base/quadratic.xml" >"$T/quad.parse" 2>/dev/null
n=$(wc -c <"$T/quad.parse")
[ "$n" -gt 1000 ] && [ "$n" -lt 1000000 ]
ok $? "parse_output_of_quadratic_blowup_is_bounded"

# ------------------------------------------------------------- broken XML
# Recovered items are stored, the feed carries a warning (not an error),
# and the run succeeds.
fresh /truncated.xml /mismatch.xml
collect_json broken
is "$?" 0 "broken_xml_is_a_warning_not_a_failure"
good_gets_items broken
is "$(json "$T/broken.json" 'feeds["truncated.xml"]["new_items"] >= 2, feeds["truncated.xml"]["error"]')" \
    "(True, None)" "truncated_feed_keeps_the_items_before_the_cut"
is "$(json "$T/broken.json" 'feeds["mismatch.xml"]["new_items"] >= 2, feeds["mismatch.xml"]["error"]')" \
    "(True, None)" "mismatched_tag_feed_keeps_what_can_be_read"
is "$(json "$T/broken.json" 'feeds["truncated.xml"]["warning"][:17], feeds["mismatch.xml"]["warning"][:17], j["warnings"], j["failed"]')" \
    "('XML error at line', 'XML error at line', 2, 0)" \
    "collect_json_reports_the_warnings"
grep -q "warning: $base/mismatch.xml: XML error at line 4" "$T/broken.err"
ok $? "collect_prints_the_warning_naming_feed_and_line"
grep -q "3 fetched (2 with a warning)" "$T/broken.err"
ok $? "collect_summary_counts_the_warnings"
gz feed list >"$T/broken.list" 2>&1
grep -A4 "/truncated.xml" "$T/broken.list" | grep -q "last error: warning: XML error"
ok $? "feed_list_shows_the_warning"
gz feed show "$base/mismatch.xml" >"$T/broken.show" 2>&1
grep -q "last error: warning: XML error at line 4" "$T/broken.show"
ok $? "feed_show_shows_the_warning"
is "$(sql "SELECT consecutive_errors || (next_fetch IS NULL) ||
    (etag IS NULL) FROM feeds WHERE url LIKE '%mismatch.xml'")" 011 \
    "a_warning_counts_no_error_and_keeps_no_validators"
before=$(sql "SELECT count(*) FROM items")
collect_json broken2
is "$(json "$T/broken2.json" 'j["warnings"], j["not_modified"]')" "(2, 1)" \
    "a_feed_with_a_warning_is_read_again_and_warns_again"
is "$(sql "SELECT count(*) FROM items")" "$before" \
    "reading_it_again_stores_nothing_twice"

# ---------------------------------------------------------------- charsets
# RFC 7303: the HTTP charset wins over the XML declaration, in collect and
# in parse alike.
greek="/as?file=/greek.xml&type=application/rss%2Bxml;%20charset=iso-8859-7"
fresh "$greek"
collect_json greek
good_gets_items greek
is "$(sql "SELECT title FROM feeds WHERE url LIKE '%greek.xml%'")" \
    "$(printf '\316\261\316\262\316\263 news')" \
    "collect_reads_the_http_charset_over_the_declaration"
is "$(gz parse "$base$greek" 2>/dev/null | head -n 1)" \
    "$(printf '\316\261\316\262\316\263 news (rss20, 1 items)')" \
    "parse_url_reads_the_http_charset_as_collect_does"
is "$(gz parse "$base/as?file=/greek.xml&type=text/xml;charset=%20%27iso-8859-7%27" \
    2>/dev/null | sed -n 2p)" "$(printf -- '- \316\261\316\262')" \
    "quoted_http_charset_is_understood"

# ------------------------------------------------------ content encodings
# Every encoding the fetcher offers is one a server may answer with: the
# server compresses only with what Accept-Encoding named (406 otherwise).
for enc in gzip deflate br; do
	if [ "$enc" = br ] && ! "$PY" -c 'import brotli' 2>/dev/null; then
		diag "python3-brotli is not installed: br not checked"
		continue
	fi
	fresh "/encoded?file=/good.xml&enc=$enc"
	collect_json "enc-$enc"
	is "$(json "$T/enc-$enc.json" \
	    "feeds['encoded?file=/good.xml&enc=$enc']['new_items']")" 2 \
	    "a_${enc}_encoded_feed_is_decoded_and_stored"
done

# -------------------------------------------------- connections per host
# Twelve feeds on one host, each answered after 400 ms, fetched 16 at a
# time: never more than 4 connections to the host at once, yet more than
# one (the fetches overlap).
set --
i=1
while [ $i -le 12 ]; do
	set -- "$@" "/held?id=$i"
	i=$((i + 1))
done
fresh "$@"
: >"$HTTP_LOG"
collect_json held --concurrency 16
is "$(json "$T/held.json" 'j["fetched"]')" 13 "twelve_held_feeds_and_the_good_one_are_fetched"
most=$(sed -n 's/^HELD inflight=//p' "$HTTP_LOG" | sort -n | tail -n 1)
is "$(sed -n '/^HELD /p' "$HTTP_LOG" | wc -l | tr -d ' ')" 12 \
    "each_held_feed_was_asked_for_once"
[ "${most:-0}" -le 4 ] && [ "${most:-0}" -ge 2 ]
ok $? "at_most_four_connections_to_one_host_at_once_and_they_overlap"
diag "most /held answers under way at once: ${most:-none}"

# ---------------------------------------------------------------- podcasts
fresh /podcast.xml
collect_json podcast
is "$(sql "SELECT link FROM items WHERE key = 'p-1'")" \
    "https://cdn.example.org/p1.mp3" "episode_without_link_links_to_its_enclosure"

done_testing
