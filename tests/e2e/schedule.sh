#!/bin/sh
# The schedule: run composes only for subscribers whose period (weekly,
# daily) has passed since their last digest; compose --now ignores it.
# The clock is set through GAZETTE_NOW.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

write_local_config "$T/gazette.conf"
DAY=86400
NOW=1795000000
mkdir -p "$T/www"
rss_feed "Net News" "n1|First|https://net.example.org/1" >"$T/www/net.xml"

# digests_of EMAIL: how many digests the outbox holds for EMAIL.
digests_of() {
	"$PY" -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("select count(*) from digests d join subscribers s"
    " on s.id = d.subscriber_id where s.email = ?", (sys.argv[2],)).fetchone()[0])' \
	    "$T/gazette.db" "$1"
}

# Yesterday: both subscribers get their first digest.
export GAZETTE_NOW=$((NOW - DAY))
gz topic add net >/dev/null 2>&1
gz feed add "file://$T/www/net.xml" --topic net >/dev/null 2>&1
gz subscriber add weekly@example.org --topic net --frequency weekly 2>/dev/null
gz subscriber add daily@example.org --topic net --frequency daily 2>/dev/null
gz run >"$T/run1.out" 2>&1
ok $? "first_run_exits_zero"
is "$(digests_of weekly@example.org) $(digests_of daily@example.org)" "1 1" \
    "subscriber_without_a_last_digest_is_due"
is "$(ls "$T/maildir/new" | wc -l)" 2 "first_run_delivers_both_digests"

# Today, with something new: only the daily subscriber is due.
rss_feed "Net News" "n1|First|https://net.example.org/1" \
    "n2|Second|https://net.example.org/2" >"$T/www/net.xml"
export GAZETTE_NOW=$NOW
gz run >"$T/run2.out" 2>&1
ok $? "second_run_exits_zero"
is "$(digests_of daily@example.org)" 2 "daily_subscriber_with_digest_yesterday_is_due"
is "$(digests_of weekly@example.org)" 1 \
    "weekly_subscriber_with_digest_yesterday_is_not_due"
grep -q "1 subscriber(s) not due" "$T/run2.out"
ok $? "run_reports_subscribers_not_due"

gz compose >/dev/null 2>&1
is "$(digests_of weekly@example.org)" 1 "compose_keeps_to_the_schedule"
gz compose --now >/dev/null 2>&1
ok $? "compose_now_exits_zero"
is "$(digests_of weekly@example.org)" 2 "compose_now_ignores_the_schedule"
is "$(digests_of daily@example.org)" 2 \
    "compose_now_queues_nothing_for_who_has_nothing_new"

# Six days later the weekly subscriber still waits; seven days later not.
rss_feed "Net News" "n2|Second|https://net.example.org/2" \
    "n3|Third|https://net.example.org/3" >"$T/www/net.xml"
export GAZETTE_NOW=$((NOW + 6 * DAY))
gz run >/dev/null 2>&1
is "$(digests_of weekly@example.org)" 2 "weekly_subscriber_waits_six_days"
export GAZETTE_NOW=$((NOW + 7 * DAY - 600))
gz run >/dev/null 2>&1
is "$(digests_of weekly@example.org)" 3 \
    "weekly_run_started_minutes_early_still_sends"

GAZETTE_NOW=yesterday gz topic list >/dev/null 2>"$T/bad-now"
is "$?" 78 "malformed_GAZETTE_NOW_is_a_configuration_error"
grep -q "GAZETTE_NOW" "$T/bad-now"
ok $? "malformed_GAZETTE_NOW_is_named"

done_testing
