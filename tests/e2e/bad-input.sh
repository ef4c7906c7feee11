#!/bin/sh
# Bad input gets a clear error, a non-zero exit, and changes nothing.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

have_aiosmtpd || skip_all "Debian's python3-aiosmtpd is not installed"

mkdir -p "$T/www"
rss_feed "Good" "g-1|Good item|https://good.example.org/1" >"$T/www/good.xml"
printf 'this is not XML at all { "json": maybe }\n' >"$T/www/bad.xml"
printf '<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>\n' \
    >"$T/www/page.html"
start_http "$T/www" || exit 1
# An SMTP port with nobody listening: bind one, then let it go.
dead_port=$(free_port)
write_config "$T/gazette.conf" "$dead_port"
base=http://127.0.0.1:$HTTP_PORT

gz topic add news >/dev/null 2>&1
gz feed add "$base/good.xml" --topic news >/dev/null 2>&1
gz subscriber add dana@example.org --topic news >/dev/null 2>&1

# expect_fail NAME STATUS PATTERN COMMAND...: exits STATUS, says PATTERN.
expect_fail() {
	name=$1 want=$2 pattern=$3
	shift 3
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq "$want" ] && grep -q -- "$pattern" "$T/err"; then
		ok 0 "$name"
	else
		ok 1 "$name"
		echo "#   exit $rc (want $want); stderr:"
		sed 's/^/#     /' "$T/err"
	fi
}

gz feed list >"$T/feeds.before" 2>&1
gz subscriber list >"$T/subs.before" 2>&1

expect_fail "feed_add_with_unknown_topic_is_refused" 65 "unknown topic 'nope'" \
    gz feed add "$base/other.xml" --topic nope
expect_fail "subscriber_add_with_unknown_topic_is_refused" 65 "unknown topic 'nope'" \
    gz subscriber add erin@example.org --topic nope
expect_fail "invalid_address_is_refused_with_the_reason" 65 "has no @" \
    gz subscriber add not-an-address --topic news
expect_fail "address_with_newline_is_refused" 65 "control character" \
    gz subscriber add "$(printf 'x@example.org\nBcc: evil@example.org')" --topic news
expect_fail "ftp_feed_url_is_refused" 65 "not an http" \
    gz feed add ftp://example.org/feed.xml --topic news
expect_fail "file_feed_url_is_refused_unless_allowed" 65 "not an http" \
    gz feed add file:///etc/passwd --topic news
expect_fail "duplicate_subscriber_is_refused" 65 "already exists" \
    gz subscriber add DANA@example.org --topic news
expect_fail "missing_topic_option_is_a_usage_error" 64 "usage:" \
    gz feed add "$base/x.xml"
expect_fail "unknown_command_is_a_usage_error" 64 "unknown command" \
    gz frobnicate

gz feed list >"$T/feeds.after" 2>&1
gz subscriber list >"$T/subs.after" 2>&1
cmp -s "$T/feeds.before" "$T/feeds.after" && cmp -s "$T/subs.before" "$T/subs.after"
ok $? "refused_commands_change_nothing"

# A broken feed does not stop the others.
gz feed add "$base/bad.xml" --topic news --no-check >/dev/null 2>&1
gz feed add "$base/page.html" --topic news --no-check >/dev/null 2>&1
gz feed add "$base/missing.xml" --topic news --no-check >/dev/null 2>&1
gz collect >"$T/collect.out" 2>"$T/collect.err"
is "$?" 1 "collect_with_broken_feeds_exits_one"
grep -q "bad.xml" "$T/collect.err" && grep -q "page.html" "$T/collect.err" &&
    grep -q "missing.xml" "$T/collect.err"
ok $? "collect_names_each_broken_feed"
grep -q "1 fetched.*3 failed, 1 new item" "$T/collect.err"
ok $? "collect_summary_counts_the_good_feed"
gz feed list >"$T/feeds.list" 2>&1
grep -A4 "bad.xml" "$T/feeds.list" | grep -q "last error"
ok $? "feed_list_shows_the_last_error"

# Unreachable SMTP server: the digest stays queued, then goes out.
gz compose >/dev/null 2>&1
expect_fail "send_to_unreachable_server_exits_tempfail" 75 "cannot reach the SMTP server" \
    gz send
count_state() {
	"$PY" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "select count(*) from digests where state = ?", (sys.argv[2],)).fetchone()[0])' \
	    "$T/gazette.db" "$1"
}
is "$(count_state queued)" 1 "undelivered_digest_stays_queued"
start_smtp || exit 1
write_config "$T/gazette.conf" "$SMTP_PORT"
gz send >/dev/null 2>&1
ok $? "send_succeeds_once_the_server_is_back"
is "$(received_count)" 1 "queued_digest_is_delivered_later"
is "$(count_state sent)" 1 "delivered_digest_is_marked_sent"

# Configuration errors name the file and the line.
printf '[general]\ntitle = X\ncolour = blue\n' >"$T/bad.conf"
expect_fail "unknown_config_key_names_file_and_line" 78 "bad.conf:3: unknown key 'colour'" \
    "$GAZETTE" --config "$T/bad.conf" topic list
printf '[general]\nthis line is wrong\n' >"$T/bad2.conf"
expect_fail "malformed_config_line_names_file_and_line" 78 "bad2.conf:2:" \
    "$GAZETTE" --config "$T/bad2.conf" topic list
expect_fail "missing_config_file_is_an_error" 78 "No such file" \
    "$GAZETTE" --config "$T/none.conf" topic list

# A database from a newer gazette is refused.
"$PY" -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("pragma user_version = 99"); c.commit()' \
    "$T/newer.db"
expect_fail "newer_database_is_refused" 69 "newer gazette" \
    "$GAZETTE" --db "$T/newer.db" topic list

done_testing
