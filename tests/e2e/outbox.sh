#!/bin/sh
# gazette outbox list/show/retry/drop and send --dry-run on a Maildir
# transport: what the operator sees and may change, and what is refused.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

write_config "$T/gazette.conf" 25
sed -i 's/^transport = smtp/transport = maildir\nmaildir = mail/' \
    "$T/gazette.conf"
printf '[collect]\nallow_file = yes\n' >>"$T/gazette.conf"
rss_feed "News" "n-1|First story|https://news.example.org/1" >"$T/feed.xml"
gz topic add news >/dev/null 2>&1
gz feed add "file://$T/feed.xml" --topic news >/dev/null 2>&1
gz subscriber add ann@example.org --name Ann --topic news >/dev/null 2>&1
gz subscriber add bo@example.org --topic news >/dev/null 2>&1
gz collect >/dev/null 2>&1
gz compose >/dev/null 2>&1

"$GAZETTE" --help >"$T/help" 2>&1
for c in "outbox list" "outbox show" "outbox retry" "outbox drop"; do
	grep -q "  $c " "$T/help" || { echo "# --help lacks $c"; false; } || break
done
ok $? "help_lists_the_outbox_commands"
"$GAZETTE" send --help 2>&1 | grep -q -- "--dry-run"
ok $? "send_help_shows_dry_run"

gz outbox list >"$T/list" 2>&1
ok $? "outbox_list_exits_zero"
grep -q '^1 *queued *ann@example.org' "$T/list" &&
    grep -q '^2 *queued *bo@example.org' "$T/list"
ok $? "outbox_list_shows_id_state_and_recipient"
gz outbox show 1 >"$T/show" 2>&1
grep -q '^to: *Ann <ann@example.org>' "$T/show" &&
    grep -q '^state: *queued' "$T/show" && grep -q '^entries: *1' "$T/show"
ok $? "outbox_show_shows_recipient_state_and_entries"

gz send --dry-run >"$T/dry" 2>"$T/dry.err"
ok $? "dry_run_exits_zero"
is "$(cut -f1,2,4 "$T/dry" | tr '\t' ' ' | tr '\n' ';')" \
    "1 ann@example.org maildir $T/mail;2 bo@example.org maildir $T/mail;" \
    "dry_run_names_each_digest_and_the_maildir"
[ ! -d "$T/mail" ]
ok $? "dry_run_writes_no_mail"
grep -q "nothing was sent" "$T/dry.err"
ok $? "dry_run_says_nothing_was_sent"

gz outbox drop 2 2>/dev/null
ok $? "outbox_drop_exits_zero"
gz outbox list --state dropped 2>/dev/null | grep -q '^2 *dropped *bo@'
ok $? "dropped_digest_is_kept_and_listed_as_dropped"
gz send >/dev/null 2>&1
ok $? "send_exits_zero"
is "$(ls "$T/mail/new" | wc -l | tr -d ' ')" 1 "a_dropped_digest_is_not_sent"

expect() {	# expect NAME STATUS PATTERN COMMAND...
	name=$1 want=$2 pattern=$3
	shift 3
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" -eq "$want" ] && grep -q -- "$pattern" "$T/err"
	ok $? "$name"
	[ "$rc" -eq "$want" ] || echo "#   exit $rc (want $want): $(cat "$T/err")"
}
expect "retrying_a_sent_digest_is_refused" 65 "is queued or sent" \
    gz outbox retry 1
expect "dropping_a_sent_digest_is_refused" 65 "is sent or already dropped" \
    gz outbox drop 1
expect "unknown_digest_is_a_data_error" 65 "no digest 42" gz outbox show 42
expect "non_numeric_id_is_a_data_error" 65 "is not a digest ID" \
    gz outbox retry abc
expect "missing_id_is_a_usage_error" 64 "usage:" gz outbox drop
expect "unknown_state_is_a_usage_error" 64 "unknown state" \
    gz outbox list --state lost

gz outbox retry 2 2>/dev/null && gz send >/dev/null 2>&1
is "$(ls "$T/mail/new" | wc -l | tr -d ' ')" 2 "a_retried_dropped_digest_is_sent"
gz outbox list --state queued >"$T/q" 2>&1
is "$(wc -l <"$T/q" | tr -d ' ')" 0 "nothing_left_queued"

# One send at a time: a second one while the lock is held sends nothing.
if command -v flock >/dev/null; then
	rss_feed "News" "n-2|Second story|https://news.example.org/2" \
	    >"$T/feed.xml"
	gz collect >/dev/null 2>&1
	gz compose --now >/dev/null 2>&1
	queued() {
		gz outbox list --state queued 2>/dev/null | wc -l | tr -d ' '
	}
	is "$(queued)" 2 "two_digests_wait_for_the_lock_tests"
	flock "$T/gazette.db.lock" "$GAZETTE" --config "$T/gazette.conf" send \
	    >/dev/null 2>"$T/locked"
	is "$?" 75 "send_while_another_holds_the_lock_exits_tempfail"
	is "$(ls "$T/mail/new" | wc -l | tr -d ' '):$(queued)" 2:2 \
	    "send_while_another_holds_the_lock_sends_nothing"

	# run too: it gives up at once (timeout would say 124), names the
	# lock, and neither collects nor sends.
	rss_feed "News" "n-3|Third story|https://news.example.org/3" \
	    >"$T/feed.xml"
	items() {
		"$PY" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "select count(*) from items").fetchone()[0])' "$T/gazette.db"
	}
	before=$(items)
	start=$(date +%s)
	flock "$T/gazette.db.lock" timeout 20 "$GAZETTE" \
	    --config "$T/gazette.conf" run >/dev/null 2>"$T/runlocked"
	rc=$? took=$(($(date +%s) - start))
	is "$rc" 75 "run_while_another_holds_the_lock_exits_tempfail"
	[ "$took" -le 5 ]
	ok $? "run_while_another_holds_the_lock_gives_up_at_once"
	grep -q "another gazette run holds $T/gazette.db.lock" "$T/runlocked"
	ok $? "run_while_locked_names_the_lock"
	is "$(ls "$T/mail/new" | wc -l | tr -d ' '):$(queued):$(items)" \
	    "2:2:$before" \
	    "run_while_another_holds_the_lock_collects_and_sends_nothing"
	gz run >/dev/null 2>&1
	is "$?:$(ls "$T/mail/new" | wc -l | tr -d ' '):$(queued)" "0:4:0" \
	    "run_after_the_lock_is_free_sends_what_waited"
fi

done_testing
