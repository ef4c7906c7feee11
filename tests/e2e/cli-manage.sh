#!/bin/sh
# Managing what gazette keeps: subscribers, subscriptions, topics and feeds
# changed and removed from the command line, --json output, and refusals
# that leave the database exactly as it was.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$T" || exit 1
export GAZETTE_DB="$T/m.db"
unset GAZETTE_CONF

g() {
	"$GAZETTE" "$@"
}

dump() {
	"$PY" -c 'import sqlite3, sys
for line in sqlite3.connect(sys.argv[1]).iterdump():
    print(line)' "$GAZETTE_DB"
}

# refused NAME CODE TEXT COMMAND...: exits CODE, says TEXT, changes nothing.
refused() {
	name=$1 code=$2 text=$3
	shift 3
	dump >"$T/before.sql"
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	dump >"$T/after.sql"
	if [ "$rc" -eq "$code" ] && grep -q -- "$text" "$T/err" &&
	    cmp -s "$T/before.sql" "$T/after.sql"; then
		ok 0 "$name"
	else
		ok 1 "$name"
		echo "#   exit $rc (want $code); stderr:"
		sed 's/^/#     /' "$T/err"
		diff "$T/before.sql" "$T/after.sql" | head -n 5 | sed 's/^/#   /'
	fi
}

# is_json NAME COMMAND...: the output is one JSON document.
is_json() {
	name=$1
	shift
	"$@" >"$T/json" 2>"$T/err" &&
	    "$PY" -c 'import json,sys; json.load(sys.stdin)' <"$T/json"
	ok $? "$name"
}

# jq_py EXPR: evaluate EXPR on the JSON in $T/json (as d).
jq_py() {
	"$PY" -c 'import json,sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
	    "$T/json" "$1"
}

# ---------------------------------------------------------------- setup
mkdir -p "$T/www"
rss_feed "Alpha Blog" "a1|First|https://a.example.org/1" >"$T/www/a.xml"
rss_feed "Beta Blog" "b1|Beta one|https://b.example.org/1" >"$T/www/b.xml"
start_http "$T/www" || exit 1
A=http://127.0.0.1:$HTTP_PORT/a.xml
B=http://127.0.0.1:$HTTP_PORT/b.xml
{
	g topic add net --name Networking &&
	g topic add sec --name Security &&
	g topic add ops &&
	g topic add empty &&
	g feed add "$A" --topic net &&
	g feed add "$B" --topic sec --topic ops &&
	g subscriber add ada@example.org --name 'Ada L' --topic net &&
	g subscriber add bob@example.org --topic net --topic sec &&
	g subscriber add cy@example.org --topic ops --frequency daily &&
	g collect
} >/dev/null 2>"$T/setup.err"
ok $? "setup_topics_feeds_subscribers_and_a_collect"

# ------------------------------------------------------------ subscribers
g subscriber show ada@example.org >"$T/show" 2>&1
ok $? "subscriber_show_succeeds"
grep -q '^ada@example.org$' "$T/show" && grep -q 'name: Ada L' "$T/show" &&
    grep -q 'status: active, frequency: weekly, bounces: 0' "$T/show" &&
    grep -q 'last digest: never' "$T/show" &&
    grep -q '^    net  *mark [0-9]' "$T/show"
ok $? "subscriber_show_has_name_status_frequency_bounces_and_marks"

g subscriber show ADA@EXAMPLE.ORG >/dev/null 2>&1
ok $? "subscriber_show_finds_the_address_in_any_case"

# A new subscription starts at the last period, like subscriber add: the
# mark is the newest item fetched more than a week ago.
old=$(sql "insert into items (feed_id, key, title, fetched)
    select id, 'old', 'Old', strftime('%s','now') - 30*86400 from feeds
    where url = ? returning id" "$B")
[ "${old:-0}" -gt 0 ]
ok $? "an_old_item_is_there_to_start_from"
g subscribe ada@example.org sec ops >/dev/null 2>"$T/err"
ok $? "subscribe_adds_topics"
is "$(sql "select group_concat(t.slug, ',') from (select t.slug from
    subscriptions su join topics t on t.id = su.topic_id join subscribers s
    on s.id = su.subscriber_id where s.email = 'ada@example.org'
    order by t.slug) t")" "net,ops,sec" "subscribe_keeps_old_topics_and_adds_new"
is "$(sql "select su.mark from subscriptions su join topics t on
    t.id = su.topic_id join subscribers s on s.id = su.subscriber_id where
    s.email = 'ada@example.org' and t.slug = 'sec'")" "$old" \
    "new_subscription_starts_at_the_last_period"
g subscribe ada@example.org sec >/dev/null 2>"$T/err"
ok $? "subscribing_again_is_not_an_error"
grep -q "already subscribed to 'sec'" "$T/err"
ok $? "subscribing_again_says_so"

refused "subscribe_with_unknown_topic_changes_nothing" 65 "unknown topic 'nope'" \
    g subscribe bob@example.org ops nope
refused "subscribe_unknown_address_is_a_data_error" 65 "no subscriber 'zed@example.org'" \
    g subscribe zed@example.org ops
refused "subscribe_invalid_address_is_a_data_error" 65 "invalid address" \
    g subscribe not-an-address ops
refused "subscribe_without_topic_is_a_usage_error" 64 "usage:" \
    g subscribe bob@example.org

g unsubscribe ada@example.org ops >/dev/null 2>&1
ok $? "unsubscribe_from_a_topic_succeeds"
is "$(sql "select count(*) from subscriptions su join subscribers s on
    s.id = su.subscriber_id where s.email = 'ada@example.org'")" 2 \
    "unsubscribe_from_a_topic_removes_only_that_one"
is "$(sql "select status from subscribers where email = 'ada@example.org'")" \
    active "unsubscribe_from_a_topic_keeps_the_subscriber_active"
refused "unsubscribe_from_a_topic_not_subscribed_changes_nothing" 65 \
    "not subscribed to 'ops'" g unsubscribe ada@example.org sec ops
refused "unsubscribe_with_unknown_topic_changes_nothing" 65 "unknown topic" \
    g unsubscribe ada@example.org sec nope
refused "unsubscribe_unknown_address_is_a_data_error" 65 "no subscriber" \
    g unsubscribe zed@example.org

g unsubscribe cy@example.org >/dev/null 2>&1
is "$(sql "select status || ' ' || (select count(*) from subscriptions
    where subscriber_id = s.id) from subscribers s
    where email = 'cy@example.org'")" "unsubscribed 1" \
    "unsubscribe_without_topic_marks_unsubscribed_and_keeps_topics"

g subscriber list --status unsubscribed >"$T/list" 2>&1
is "$(cut -d' ' -f1 "$T/list")" "cy@example.org" "subscriber_list_filters_by_status"
g subscriber list --topic sec >"$T/list" 2>&1
is "$(cut -d' ' -f1 "$T/list" | tr '\n' ' ')" "ada@example.org bob@example.org " \
    "subscriber_list_filters_by_topic"
g subscriber list --topic net --status active >"$T/list" 2>&1
is "$(wc -l <"$T/list" | tr -d ' ')" 2 "subscriber_list_filters_combine"
refused "subscriber_list_unknown_topic_is_a_data_error" 65 "unknown topic" \
    g subscriber list --topic nope
refused "subscriber_list_unknown_status_is_a_data_error" 65 "unknown status" \
    g subscriber list --status gone

g subscriber set bob@example.org --name 'Bob B' --frequency daily >/dev/null 2>&1
is "$(sql "select name || '/' || frequency from subscribers
    where email = 'bob@example.org'")" "Bob B/daily" "subscriber_set_changes_name_and_frequency"
g subscriber set bob@example.org --name '' >/dev/null 2>&1
is "$(sql "select coalesce(name, 'none') from subscribers
    where email = 'bob@example.org'")" none "subscriber_set_empty_name_clears_it"
g subscriber set cy@example.org --status active >/dev/null 2>&1
is "$(sql "select status from subscribers where email = 'cy@example.org'")" \
    active "subscriber_set_status_reactivates"
refused "subscriber_set_bad_frequency_changes_nothing" 65 "weekly or daily" \
    g subscriber set bob@example.org --name X --frequency hourly
refused "subscriber_set_bad_status_changes_nothing" 65 "active or unsubscribed" \
    g subscriber set bob@example.org --status bounced
refused "subscriber_set_unknown_address_is_a_data_error" 65 "no subscriber" \
    g subscriber set zed@example.org --name Z
refused "subscriber_set_without_change_is_a_usage_error" 64 "usage:" \
    g subscriber set bob@example.org
refused "subscriber_show_unknown_address_is_a_data_error" 65 "no subscriber" \
    g subscriber show zed@example.org

g subscriber remove cy@example.org >/dev/null 2>&1
is "$(sql "select status from subscribers where email = 'cy@example.org'")" \
    unsubscribed "subscriber_remove_marks_unsubscribed_and_keeps_the_row"
sql "insert into digests (subscriber_id, created, message_id) select id, 1,
    'm1@x' from subscribers where email = 'cy@example.org'" >/dev/null
g subscriber remove --purge cy@example.org >/dev/null 2>&1
ok $? "subscriber_remove_purge_succeeds"
is "$(sql "select (select count(*) from subscribers where email =
    'cy@example.org') + (select count(*) from digests) + (select count(*)
    from subscriptions su where not exists (select 1 from subscribers s
    where s.id = su.subscriber_id))")" 0 \
    "subscriber_remove_purge_deletes_row_subscriptions_and_outbox"
refused "subscriber_remove_unknown_address_is_a_data_error" 65 "no subscriber" \
    g subscriber remove --purge cy@example.org

# ------------------------------------------------------------------ topics
refused "topic_remove_in_use_is_refused_with_counts" 65 \
    "has 2 subscribers and 1 feed" g topic remove sec
refused "topic_remove_unknown_is_a_data_error" 65 "unknown topic" \
    g topic remove nope
g topic remove empty >/dev/null 2>&1
is "$(sql "select count(*) from topics where slug = 'empty'")" 0 \
    "unused_topic_is_removed_without_force"
g topic remove ops --force >/dev/null 2>&1
is "$(sql "select count(*) from topics where slug = 'ops'")/$(sql "select
    count(*) from feeds where url = ?" "$B")" "0/1" \
    "topic_remove_force_removes_the_topic_and_keeps_its_feeds"

g topic rename sec security >/dev/null 2>&1
ok $? "topic_rename_succeeds"
g subscriber list --topic security >"$T/list" 2>&1
is "$(wc -l <"$T/list" | tr -d ' ')" 2 "renamed_topic_keeps_its_subscribers"
g topic rename net network --name 'Net work' >/dev/null 2>&1
is "$(sql "select name from topics where slug = 'network'")" "Net work" \
    "topic_rename_sets_the_name"
refused "topic_rename_to_an_existing_slug_changes_nothing" 65 "already exists" \
    g topic rename network security
refused "topic_rename_unknown_is_a_data_error" 65 "unknown topic" \
    g topic rename nope other
refused "topic_rename_to_a_bad_slug_changes_nothing" 65 "the slug" \
    g topic rename network 'Bad Slug'
refused "topic_rename_without_newslug_is_a_usage_error" 64 "usage:" \
    g topic rename network

# ------------------------------------------------------------------- feeds
g feed show "$A" >"$T/show" 2>&1
ok $? "feed_show_succeeds"
grep -q "title: Alpha Blog" "$T/show" && grep -q "topics: network" "$T/show" &&
    grep -q "items: 1" "$T/show" && grep -q "last new item: [0-9]" "$T/show"
ok $? "feed_show_has_title_topics_items_and_last_new_item"

g feed pause "$A" >/dev/null 2>&1
is "$(sql "select state from feeds where url = ?" "$A")" paused "feed_pause_pauses"
g feed pause "$A" >/dev/null 2>"$T/err"
ok $? "pausing_a_paused_feed_is_not_an_error"
before=$(grep -c 'a.xml' "$HTTP_LOG")
g collect >/dev/null 2>&1
is "$(grep -c 'a.xml' "$HTTP_LOG")" "$before" "paused_feed_is_not_collected"
g feed resume "$A" >/dev/null 2>&1
is "$(sql "select state from feeds where url = ?" "$A")" active "feed_resume_resumes"

g feed set "$A" --topic security --topic network --title 'My Alpha' >/dev/null 2>&1
ok $? "feed_set_succeeds"
g feed show "$A" >"$T/show" 2>&1
grep -q "topics: network,security" "$T/show"
ok $? "feed_set_topic_replaces_the_topics"
rss_feed "Alpha Renamed" "a2|Second|https://a.example.org/2" >"$T/www/a.xml"
g collect >/dev/null 2>&1
is "$(sql "select title from feeds where url = ?" "$A")" "My Alpha" \
    "title_set_by_hand_survives_collect"
g feed set "$A" --title '' >/dev/null 2>&1
rss_feed "Alpha Again" "a3|Third|https://a.example.org/3" >"$T/www/a.xml"
g collect >/dev/null 2>&1
is "$(sql "select title from feeds where url = ?" "$A")" "Alpha Again" \
    "empty_title_gives_the_title_back_to_the_feed"

for c in show remove pause resume; do
	refused "feed_${c}_unknown_url_is_a_data_error" 65 "unknown feed" \
	    g feed $c http://127.0.0.1:1/none.xml
done
refused "feed_set_unknown_url_is_a_data_error" 65 "unknown feed" \
    g feed set http://127.0.0.1:1/none.xml --title X
refused "feed_set_unknown_topic_changes_nothing" 65 "unknown topic" \
    g feed set "$A" --topic security --topic nope --title Y
refused "feed_remove_with_an_unknown_option_is_a_usage_error" 64 "unknown option" \
    g feed remove --bogus "$A"

g feed list >"$T/plain" 2>&1
grep -q "^$A\$" "$T/plain" && grep -q "^  state: active, last fetch: " "$T/plain"
ok $? "feed_list_into_a_pipe_is_the_block_format"

# On a terminal: one header and one row per feed, columns aligned.
"$PY" - "$GAZETTE" >"$T/tty" 2>&1 <<'PYEOF'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "feed", "list"])
out = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
os.waitpid(pid, 0)
sys.stdout.write(out.decode().replace("\r\n", "\n"))
PYEOF
"$PY" - "$T/tty" <<'PYEOF'
import sys
lines = open(sys.argv[1]).read().splitlines()
head = lines[0]
for col in ("URL", "TOPICS", "STATE", "LAST FETCH", "STATUS", "ERRORS",
            "ITEMS", "LAST NEW ITEM"):
    assert col in head, col
assert len(lines) == 3, lines
at = head.index("STATE")
for row in lines[1:]:
    assert row[at:].startswith("active"), row
assert "127.0.0.1" in lines[1] and "network,security" in lines[1]
PYEOF
ok $? "feed_list_on_a_terminal_is_an_aligned_table"

g feed remove "$B" >/dev/null 2>&1
is "$(sql "select count(*) from feeds where url = ?" "$B")/$(sql "select
    count(*) from items i where not exists (select 1 from feeds f where
    f.id = i.feed_id)")" "0/0" "feed_remove_removes_the_feed_and_its_items"

# -------------------------------------------------------------------- json
is_json "topic_list_json_is_json" g topic list --json
is "$(jq_py '[t["slug"] for t in d]')" "['network', 'security']" \
    "topic_list_json_lists_the_topics"
is "$(jq_py 'sorted(d[0])')" "['feeds', 'name', 'slug', 'subscribers']" \
    "topic_list_json_has_stable_keys"
is_json "feed_list_json_is_json" g feed list --json
is "$(jq_py 'd[0]["title"] + " " + str(d[0]["topics"])')" \
    "Alpha Again ['network', 'security']" "feed_list_json_has_title_and_topics"
is_json "feed_show_json_is_json" g feed show "$A" --json
is "$(jq_py 'sorted(d)')" "['errors_in_a_row', 'items', 'last_error', 'last_fetch', 'last_new_item', 'last_status', 'next_fetch', 'site_link', 'state', 'title', 'topics', 'url']" \
    "feed_show_json_has_stable_keys"
is_json "subscriber_list_json_is_json" g subscriber list --json
is "$(jq_py '[s["email"] for s in d]')" "['ada@example.org', 'bob@example.org']" \
    "subscriber_list_json_lists_the_subscribers"
is_json "subscriber_show_json_is_json" g subscriber show ada@example.org --json
is "$(jq_py '[(s["topic"], s["mark"] >= 0) for s in d["subscriptions"]] + [d["bounces"], d["last_digest"]]')" \
    "[('network', True), ('security', True), 0, None]" \
    "subscriber_show_json_has_marks_per_topic"
is_json "empty_subscriber_list_json_is_an_array" \
    g subscriber list --status bounced --json
is "$(cat "$T/json")" "[]" "empty_list_json_is_an_empty_array"

# -------------------------------------------------------------- exit codes
refused "parse_of_a_missing_file_is_noinput" 66 "" \
    g parse "$T/no-such-file.xml"
# A database error half-way (injected by a trigger on the second topic)
# is an I/O error, and the first topic's change is rolled back with it.
sql "create trigger fail_second before delete on subscriptions
    when old.topic_id = (select id from topics where slug = 'network')
    begin select raise(abort, 'injected failure'); end" >/dev/null
refused "database_error_half_way_is_an_io_error_and_changes_nothing" 74 \
    "injected failure" g unsubscribe ada@example.org security network
sql "drop trigger fail_second" >/dev/null

for c in "subscriber show" "subscriber set" "subscriber remove" subscribe \
    unsubscribe "topic rename" "topic remove" "feed show" "feed set" \
    "feed pause" "feed resume" "feed remove"; do
	# shellcheck disable=SC2086
	g $c --help >"$T/h" 2>&1 && grep -q "^usage: gazette $c" "$T/h" ||
	    { echo "# no help for $c"; false; } || break
done
ok $? "every_new_command_has_help"

done_testing
