#!/bin/sh
# feed add fetches the URL first: a feed is added as given, a web page by
# the feed its <link rel="alternate"> announces, anything else is refused.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

mkdir -p "$T/www/blog" "$T/www/feeds"
rss_feed "News" "n-1|One|https://news.example.org/1" >"$T/www/feeds/news.xml"
rss_feed "Blog" "b-1|Post|https://blog.example.org/1" >"$T/www/blog/atom.xml"
cat >"$T/www/index.html" <<'EOF'
<!DOCTYPE html>
<html><head><title>News</title>
<link rel="stylesheet" type="text/css" href="/style.css">
<link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
<link rel="alternate" type="application/rss+xml" title="RSS" href="/feeds/news.xml">
</head><body><p>Hello</p></body></html>
EOF
cat >"$T/www/blog/index.html" <<'EOF'
<html><head><base href="/blog/">
<LINK REL="Alternate home" TYPE="application/atom+xml; charset=utf-8" HREF=" atom.xml ">
</head><body>Blog</body></html>
EOF
cat >"$T/www/plain.html" <<'EOF'
<!DOCTYPE html><html><head><title>No feed here</title></head><body>x</body></html>
EOF
printf 'just some text\n' >"$T/www/notes.txt"
start_http "$T/www" || exit 1
write_config "$T/gazette.conf" 25
base=http://127.0.0.1:$HTTP_PORT

gz topic add news >/dev/null 2>&1

# Runs gazette; $rc, $T/out and $T/err hold what happened.
run() {
	gz "$@" >"$T/out" 2>"$T/err"
	rc=$?
}

feeds() {
	gz feed list 2>/dev/null | grep '^http' | sort | tr '\n' ' '
}

run feed add "$base/feeds/news.xml" --topic news
is "$rc" 0 "feed_url_is_added"
grep -q "GET /feeds/news.xml 200" "$HTTP_LOG"
ok $? "feed_is_fetched_at_add_time"
is "$(feeds)" "$base/feeds/news.xml " "feed_is_stored_as_given"

run feed add "$base/index.html" --topic news
is "$rc" 65 "page_whose_feed_is_known_is_refused"
grep -q "already there" "$T/err"
ok $? "page_whose_feed_is_known_says_so"

run feed add "$base/blog/index.html" --topic news
is "$rc" 0 "page_with_alternate_link_is_accepted"
grep -q "web page; adding the feed it links to, $base/blog/atom.xml" "$T/err"
ok $? "discovery_says_which_feed_it_found"
is "$(feeds)" "$base/blog/atom.xml $base/feeds/news.xml " \
    "discovered_feed_url_is_resolved_against_base_and_stored"

run feed add "$base/plain.html" --topic news
is "$rc" 65 "page_without_feed_link_is_refused_with_65"
grep -q "is not a feed (.*HTML page), nor a web page that links to one" "$T/err"
ok $? "refusal_says_why"

run feed add "$base/notes.txt" --topic news
is "$rc" 65 "text_file_is_refused"

run feed add "$base/missing.xml" --topic news
is "$rc" 69 "unreachable_feed_is_refused_with_69"
grep -q "HTTP status 404.*--no-check" "$T/err"
ok $? "unreachable_feed_error_names_status_and_way_out"
is "$(feeds)" "$base/blog/atom.xml $base/feeds/news.xml " \
    "refused_adds_store_nothing"

run feed add "$base/missing.xml" --topic news --no-check
is "$rc" 0 "no_check_adds_without_fetching"
is "$(grep -c 'GET /missing.xml' "$HTTP_LOG")" 1 "no_check_makes_no_request"

done_testing
