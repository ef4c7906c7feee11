#!/bin/sh
# JSON Feed over HTTP from the test server: feed add checks it (and finds
# it from a page's application/feed+json link), collect
# stores its items once (ids, else links, else a hash), run puts them in a
# digest with sanitized content; a JSON document that is no JSON Feed is
# that feed's error and leaves a good feed beside it alone.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

mkdir -p "$T/www" "$T/maildir"
# news.json ITEMS...: a JSON Feed 1.1 document with the given item objects.
news_json() {
	printf '{"version": "https://jsonfeed.org/version/1.1",\n'
	printf ' "title": "Json News", "home_page_url": "https://json.example.org/",\n'
	printf ' "items": ['
	sep=
	for it in "$@"; do
		printf '%s\n  %s' "$sep" "$it"
		sep=,
	done
	printf ']}\n'
}
ITEM1='{"id": "j-1", "url": "https://json.example.org/1", "title": "Parsing JSON at speed", "content_html": "<p>Fast <b>parsers</b><script>alert(1)</script></p>", "date_published": "2026-01-05T09:00:00Z", "authors": [{"name": "Jo Writer"}], "tags": ["json"]}'
ITEM2='{"id": 2, "url": "/posts/2", "title": "Relative links resolve", "content_text": "Plain text body."}'
ITEM3='{"url": "https://json.example.org/no-id", "title": "An item without an id"}'
ITEM4='{"id": "j-4", "url": "https://json.example.org/4", "title": "A later item"}'
news_json "$ITEM1" "$ITEM2" "$ITEM3" >"$T/www/news.json"
echo '{"name": "not a feed", "version": "2.0.0"}' >"$T/www/package.json"
cat >"$T/www/index.html" <<'EOF'
<!DOCTYPE html>
<html><head><title>Json News</title>
<link rel="alternate" type="application/feed+json" title="JSON Feed" href="/news.json">
</head><body>Hello</body></html>
EOF
rss_feed "Good" "g-1|Good one|https://good.example.org/1" >"$T/www/good.xml"
start_http "$T/www" || exit 1
write_local_config "$T/gazette.conf"
printf '\n[digest]\nmax_items_per_topic = 10\n' >>"$T/gazette.conf"
base=http://127.0.0.1:$HTTP_PORT
DB=$T/gazette.db

gz parse "$base/news.json" --json >"$T/parse.json" 2>"$T/parse.err"
ok $? "parse_reads_a_json_feed_over_http"
is "$("$PY" -c 'import json, sys
j = json.load(open(sys.argv[1]))
print(j["feed"]["format"], len(j["items"]), j["items"][1]["link"])' "$T/parse.json")" \
    "json11 3 $base/posts/2" "parse_json_names_the_format_and_resolves_links"

gz topic add news --name News >/dev/null 2>&1
gz feed add "$base/news.json" --topic news >"$T/add.out" 2>&1
ok $? "feed_add_accepts_a_json_feed"
gz feed add "$base/index.html" --topic news >"$T/add-page.out" 2>&1
grep -q "already there" "$T/add-page.out"
ok $? "page_announcing_the_json_feed_leads_to_it"
gz feed add "$base/good.xml" --topic news >/dev/null 2>&1
gz feed add "$base/package.json" --topic news >"$T/add-bad.out" 2>&1
[ $? -ne 0 ] && grep -q "JSON Feed version" "$T/add-bad.out"
ok $? "feed_add_refuses_json_that_is_no_json_feed"
gz feed add "$base/package.json" --topic news --no-check >/dev/null 2>&1
gz subscriber add ada@example.org --name Ada --topic news 2>/dev/null

gz collect --json >"$T/collect.json" 2>"$T/collect.err"
is "$("$PY" -c 'import json, sys
j = json.load(open(sys.argv[1]))
f = {x["url"].rsplit("/", 1)[1]: x for x in j["feeds"]}
print(f["news.json"]["new_items"], f["good.xml"]["new_items"],
      "JSON Feed version" in (f["package.json"].get("error") or ""))' \
    "$T/collect.json")" "3 1 True" \
    "collect_stores_json_items_and_reports_the_bad_json_as_that_feeds_error"
is "$(sql "SELECT count(*) FROM items i JOIN feeds f ON f.id = i.feed_id
    WHERE f.url LIKE '%news.json'")" 3 "json_items_are_stored"
is "$(sql "SELECT key FROM items WHERE title = 'Relative links resolve'")" 2 \
    "numeric_id_is_the_key"
is "$(sql "SELECT link FROM items WHERE key = '2'")" "$base/posts/2" \
    "relative_url_resolved_against_the_feed_url"
is "$(sql "SELECT key FROM items WHERE title = 'An item without an id'")" \
    "https://json.example.org/no-id" "item_without_id_keyed_by_its_url"
is "$(sql "SELECT author FROM items WHERE key = 'j-1'")" "Jo Writer" \
    "json_author_stored"
sql "SELECT content_html FROM items WHERE key = 'j-1'" >"$T/content.html"
grep -q "<b>parsers</b>" "$T/content.html" && ! grep -q script "$T/content.html"
ok $? "json_content_html_stored_sanitized"

gz run >"$T/run.out" 2>&1
ok $? "run_sends_a_digest_with_json_feed_items"
msg=$(grep -l "^To:.*<ada@example.org>" "$T"/maildir/new/* 2>/dev/null | tail -n 1)
decoded_body "$msg" >"$T/digest.txt" 2>/dev/null
grep -q "Parsing JSON at speed" "$T/digest.txt" &&
    grep -q "Relative links resolve" "$T/digest.txt" &&
    grep -q "An item without an id" "$T/digest.txt" &&
    grep -q "https://json.example.org/1" "$T/digest.txt"
ok $? "digest_holds_the_json_feed_items_and_links"
! grep -q "alert(1)" "$T/digest.txt"
ok $? "digest_carries_no_script_from_json_content"

news_json "$ITEM4" "$ITEM1" "$ITEM2" "$ITEM3" >"$T/www/news.json"
gz collect --all --json >"$T/collect2.json" 2>/dev/null
is "$("$PY" -c 'import json, sys
j = json.load(open(sys.argv[1]))
print([x["new_items"] for x in j["feeds"] if x["url"].endswith("news.json")][0])' \
    "$T/collect2.json")" 1 "second_collect_stores_only_the_new_item"
is "$(sql "SELECT count(*) FROM items i JOIN feeds f ON f.id = i.feed_id
    WHERE f.url LIKE '%news.json'")" 4 "json_items_are_stored_once"

done_testing
