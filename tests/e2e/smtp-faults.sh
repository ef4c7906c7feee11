#!/bin/sh
# Delivery against a misbehaving SMTP server: postfix's smtp-sink refusing
# RCPT or DATA with 4xx or 5xx, hanging up in the middle of DATA, and a
# server that accepts the connection and never says a word.  A digest is
# sent only after the 250 that ends DATA; 4xx defers it with a backoff;
# 5xx fails it, and the bounce reader reads the reply: a gone address is
# a hard bounce, anything else (spam, policy, MAIL FROM) a soft one.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/e2e/smtp-lib.sh"

SINK=/usr/sbin/smtp-sink
[ -x "$SINK" ] || skip_all "smtp-sink (Debian package postfix) is not installed"

# smtp-sink refuses to run as root without -u; its dumps then need a
# folder that user can reach.
sink_user=""
if [ "$(id -u)" -eq 0 ]; then
	sink_user="-u nobody"
	chmod 711 "$T"
fi

# Wait until something listens on port $1 (at most 5 s).
wait_port() {
	"$PY" - "$1" <<'PYEOF'
import socket, sys, time
for _ in range(50):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PYEOF
}

# start_sink NAME [OPTIONS]: smtp-sink dumping into $T/NAME; sets SINK_PORT.
start_sink() {
	name=$1
	shift
	mkdir -m 1777 "$T/$name"
	SINK_PORT=$(free_port)
	# shellcheck disable=SC2086
	"$SINK" $sink_user -d "$T/$name/%M." "$@" "127.0.0.1:$SINK_PORT" 16 \
	    2>"$T/$name.err" &
	server_pids="$server_pids $!"
	wait_port "$SINK_PORT" || { cat "$T/$name.err"; return 1; }
}

# setup NAME PORT [LINE...]: a fresh database with one subscriber and one
# queued digest (id 1), its config pointing at PORT, with max_bounces 2
# and no retries within a run unless a LINE (under [mail]) says otherwise.
# Sets DB.
setup() {
	_n=$1 _p=$2
	shift 2
	case_setup "$_n" "$_p" timeout=2 retry_window=0 "[mail]" max_bounces=2 \
	    "$@"
}

# Refusals as real servers word them, for smtp-sink's -B.
GONE="550 5.1.1 <zoe@example.org>: Recipient address rejected: User unknown"
SPAM="550 5.7.1 Message rejected as spam by policy"

# point PORT: send the current case to another server.
point() {
	sed -i "s/^port = .*/port = $1/" "$D/gazette.conf"
}

field() {	# field NAME: a line of 'outbox show 1'
	g outbox show 1 2>/dev/null | sed -n "s/^$1: *//p"
}

dumps() {
	ls "$T/$1" | wc -l | tr -d ' '
}

rss_feed "News" "n-1|First story|https://news.example.org/1" >"$T/feed.xml"

# ------------------------------------------------------------- success
start_sink ok || exit 1
OK_PORT=$SINK_PORT
setup ok "$OK_PORT"
g send --dry-run >"$T/dry.out" 2>"$T/dry.err"
ok $? "dry_run_exits_zero"
awk -F '\t' -v p="$OK_PORT" '$1 == 1 && $2 == "zoe@example.org" &&
    $3 > 1000 && $4 ~ ("smtp 127.0.0.1:" p) && $5 ~ /Test Weekly/' \
    "$T/dry.out" | grep -q .
ok $? "dry_run_lists_id_recipient_size_target_and_subject"
is "$(dumps ok)$(field state)" "0queued" "dry_run_sends_and_changes_nothing"
g send >"$T/ok.out" 2>"$T/ok.err"
ok $? "send_to_a_willing_server_exits_zero"
is "$(field state)" "sent" "accepted_digest_is_marked_sent"
is "$(dumps ok)" 1 "server_received_one_message"
grep -q "digest 1 to zoe@example.org sent" "$T/ok.err"
ok $? "a_line_per_digest_sent"

# ------------------------------------------------------ 4xx on RCPT
start_sink rcpt4 -r RCPT || exit 1
setup rcpt4 "$SINK_PORT"
before=$(date +%s)
g -v send >"$T/r4.out" 2>"$T/r4.err"
is "$?" 75 "soft_rcpt_refusal_exits_tempfail"
is "$(field state)" "deferred" "soft_refusal_defers_the_digest"
next=$(sql "select next_attempt from digests where id = 1")
[ "$next" -ge $((before + 900)) ] && [ "$next" -le $(($(date +%s) + 900)) ]
ok $? "first_retry_is_fifteen_minutes_later"
grep -q "digest 1: next try .*(in 15 min)" "$T/r4.err"
ok $? "verbose_says_when_the_next_try_is"
g send >"$T/r4b.out" 2>"$T/r4b.err"
ok $? "second_send_before_the_retry_time_exits_zero"
grep -q "0 sent, 0 deferred, 0 failed" "$T/r4b.err" &&
    [ "$(field attempts)" = 1 ]
ok $? "second_send_before_the_retry_time_sends_nothing"
g outbox retry 1 2>/dev/null && [ "$(field state)" = queued ]
ok $? "outbox_retry_queues_a_deferred_digest"
before=$(date +%s)
g send >/dev/null 2>&1
next=$(sql "select next_attempt - $before from digests where id = 1")
[ "$(field attempts)" = 2 ] && [ "$next" -ge 1800 ] && [ "$next" -le 1802 ]
ok $? "second_deferral_backs_off_to_thirty_minutes"
g outbox retry 1 2>/dev/null
point "$OK_PORT"
g -q send >/dev/null 2>"$T/quiet.err"
ok $? "retried_digest_is_delivered_once_the_server_takes_it"
[ ! -s "$T/quiet.err" ]
ok $? "quiet_send_that_succeeds_prints_nothing"
is "$(field state)" "sent" "retried_digest_is_marked_sent"

# ------------------------------------- 5xx on RCPT: the address is gone
start_sink rcpt5 -f RCPT -B "$GONE" || exit 1
setup rcpt5 "$SINK_PORT" max_bounces=1
g -q send >"$T/r5.out" 2>"$T/r5.err"
is "$?" 1 "hard_rcpt_refusal_exits_one"
is "$(field state)" "failed" "hard_refusal_fails_the_digest"
is "$(field subscriber)" "bounced, 1 hard bounce(s), 0 soft" \
    "user_unknown_at_rcpt_is_hard_and_max_bounces_1_marks_bounced"
grep -q "digest 1 to zoe@example.org failed: RCPT TO: 550 5.1.1" "$T/r5.err"
ok $? "quiet_still_reports_the_failure"
grep -q "zoe@example.org reached \[mail\] max_bounces" "$T/r5.err"
ok $? "quiet_still_warns_that_the_subscriber_is_bounced"
! grep -q "send:" "$T/r5.err"
ok $? "quiet_silences_the_summary"
g subscriber list 2>/dev/null | grep -q "zoe@example.org  *bounced"
ok $? "subscriber_list_shows_bounced"
rss_feed "News" "n-1|First story|https://news.example.org/1" \
    "n-2|Second story|https://news.example.org/2" >"$T/feed.xml"
g subscriber add amy@example.org --topic news >/dev/null 2>&1
g collect >/dev/null 2>&1
g compose >/dev/null 2>&1
is "$(sql "select group_concat(s.email) from digests d join subscribers s
    on s.id = d.subscriber_id where d.id > 1")" "amy@example.org" \
    "bounced_subscriber_gets_no_more_digests"
rss_feed "News" "n-1|First story|https://news.example.org/1" >"$T/feed.xml"

start_sink rcpt5b -f RCPT -B "$GONE" || exit 1
setup rcpt5b "$SINK_PORT"
g send >/dev/null 2>"$T/r5b.err"
is "$(field subscriber)" "active, 1 hard bounce(s), 0 soft" \
    "a_hard_bounce_below_max_bounces_is_counted"
grep -q "zoe@example.org: hard bounce counted 5.1.1 userunknown" \
    "$T/r5b.err"
ok $? "send_says_which_bounce_it_counted_and_why"
g outbox retry 1 2>/dev/null
g send >/dev/null 2>&1
is "$(field subscriber)" "bounced, 2 hard bounce(s), 0 soft" \
    "max_bounces_hard_bounces_mark_the_subscriber_bounced"

# ------------------------------------- a delivery clears the bounces
start_sink reset5 -f RCPT -B "$GONE" || exit 1
setup reset "$SINK_PORT"
g send >/dev/null 2>&1
is "$(field subscriber)" "active, 1 hard bounce(s), 0 soft" \
    "bounce_before_the_reset_is_counted"
g outbox retry 1 2>/dev/null
point "$OK_PORT"
g send >/dev/null 2>&1
is "$(field state):$(field subscriber)" "sent:active, 0 hard bounce(s), 0 soft" \
    "delivery_clears_the_consecutive_hard_bounce_count"

# ---------------------------- 5xx that says nothing of the address: soft
start_sink spam5 -f RCPT -B "$SPAM" || exit 1
setup spam5 "$SINK_PORT" max_bounces=1
g send >/dev/null 2>"$T/spam5.err"
is "$?:$(field state):$(field subscriber)" "1:failed:active, 0 hard bounce(s), 1 soft" \
    "spam_refusal_at_rcpt_fails_and_counts_a_soft_bounce"
grep -q "zoe@example.org: soft bounce counted 5.7.1" "$T/spam5.err"
ok $? "send_says_the_soft_bounce_was_counted"
start_sink vague5 -f RCPT || exit 1
setup vague5 "$SINK_PORT" max_bounces=1
g send >/dev/null 2>&1
is "$?:$(field state):$(field subscriber)" "1:failed:active, 0 hard bounce(s), 1 soft" \
    "a_vague_5xx_at_rcpt_is_soft"
start_sink spamdot -f . -B "$SPAM" || exit 1
setup spamdot "$SINK_PORT" max_bounces=1
g send >/dev/null 2>&1
is "$?:$(field state):$(field subscriber)" "1:failed:active, 0 hard bounce(s), 1 soft" \
    "spam_refusal_after_the_message_counts_a_soft_bounce"
start_sink filter -f . -B "550 Mailbox not found" || exit 1
setup filter "$SINK_PORT" max_bounces=1
g send >/dev/null 2>&1
is "$(field subscriber)" "active, 0 hard bounce(s), 1 soft" \
    "unknown_user_words_without_a_code_after_the_message_are_soft"
start_sink dot5 -f . -B "$GONE" || exit 1
setup dot5 "$SINK_PORT"
g send >/dev/null 2>&1
is "$?:$(field state):$(field subscriber)" "1:failed:active, 1 hard bounce(s), 0 soft" \
    "a_gone_address_code_after_the_message_is_hard"
start_sink mail5 -f MAIL -B "$GONE" || exit 1
setup mail5 "$SINK_PORT" max_bounces=1
g send >/dev/null 2>&1
is "$?:$(field state):$(field subscriber)" "1:failed:active, 0 hard bounce(s), 1 soft" \
    "mail_from_refusal_fails_and_is_soft_whatever_its_code"
start_sink data5 -f DATA || exit 1
setup data5 "$SINK_PORT"
g send >/dev/null 2>&1
is "$?:$(field state):$(field subscriber)" "1:failed:active, 0 hard bounce(s), 1 soft" \
    "data_command_refusal_fails_and_is_soft"
start_sink softlim -f RCPT -B "$SPAM" || exit 1
setup softlim "$SINK_PORT" "[bounces]" soft_limit=2
g send >/dev/null 2>&1
g outbox retry 1 2>/dev/null
g send >/dev/null 2>"$T/softlim.err"
is "$(field subscriber)" "bounced, 0 hard bounce(s), 2 soft" \
    "soft_limit_soft_bounces_in_a_row_suspend_the_subscriber"
grep -q "zoe@example.org reached \[bounces\] soft_limit" "$T/softlim.err"
ok $? "send_warns_that_soft_limit_suspended_them"

# ------------------------------------------------------ 4xx on DATA
start_sink data4 -r DATA || exit 1
setup data4 "$SINK_PORT"
g send >/dev/null 2>&1
is "$?:$(field state)" "75:deferred" "soft_data_refusal_defers"
start_sink dot4 -r . || exit 1
setup dot4 "$SINK_PORT"
g send >/dev/null 2>&1
is "$?:$(field state)" "75:deferred" "soft_refusal_of_the_message_defers"

# ------------------------------------------- hang-ups during DATA
start_sink hup -q . || exit 1
setup hup "$SINK_PORT"
g send >/dev/null 2>"$T/hup.err"
rc=$?
diag "hang-up: $(grep "digest 1" "$T/hup.err")"
is "$rc:$(field state)" "75:deferred" "hangup_before_the_final_reply_defers"
is "$(sql "select count(*) from digests where sent is not null")" 0 \
    "hangup_before_the_final_reply_is_never_marked_sent"
start_sink hup421 -Q . || exit 1
setup hup421 "$SINK_PORT"
g send >/dev/null 2>&1
is "$?:$(field state)" "75:deferred" "421_after_the_message_defers"

# ------------------------------------------- retries within the run
# smtpd.py --defer N greylists: 451 to the first N RCPT, then 250.
if have_aiosmtpd; then
	waits() {	# WANT...: are the gaps between the RCPTs at least these?
		awk -v want="$*" 'BEGIN { n = split(want, w, " ") }
		    NR > 1 && $1 - t < w[NR - 1] { bad = 1 } { t = $1 }
		    END { exit bad || NR != n + 1 }' "$RECV/rcpt.log"
	}
	start_smtpd grey --defer 2 || exit 1
	setup grey "$PORT" "[smtp]" retry_delay=1 retry_window=3
	g send >"$T/grey.out" 2>"$T/grey.err"
	is "$?:$(field state):$(field attempts)" "0:sent:3" \
	    "a_greylisted_digest_is_sent_later_in_the_same_run"
	is "$(ls "$RECV" | grep -c '\.eml$')" 1 "and_is_received_once"
	waits 1 2
	rc=$?
	ok $rc "the_waits_start_at_retry_delay_and_double"
	[ $rc -eq 0 ] || sed 's/^/#   RCPT at /' "$RECV/rcpt.log"
	grep -q "send: 1 digest(s) deferred; trying again in 1 s" \
	    "$T/grey.err" && grep -q "trying again in 2 s" "$T/grey.err"
	ok $? "send_says_it_waits_before_each_retry"
	grep -q "send: 1 sent, 0 deferred, 0 failed" "$T/grey.err"
	ok $? "the_summary_counts_it_sent_not_deferred"

	start_smtpd grey0 --defer 1 || exit 1
	setup grey0 "$PORT"
	g send >/dev/null 2>"$T/grey0.err"
	is "$?:$(field state):$(field attempts)" "75:deferred:1" \
	    "retry_window_0_leaves_it_deferred_for_a_later_run"
	! grep -q "trying again" "$T/grey0.err"
	ok $? "retry_window_0_does_not_wait"

	start_smtpd greylong --defer 9 || exit 1
	setup greylong "$PORT" "[smtp]" retry_delay=1 retry_window=2
	before=$(date +%s)
	g send >/dev/null 2>"$T/greylong.err"
	rc=$?
	next=$(sql "select next_attempt from digests where id = 1")
	is "$rc:$(field state):$(field attempts)" "75:deferred:2" \
	    "a_run_waits_no_longer_than_retry_window"
	[ "$next" -ge $((before + 1800)) ] &&
	    [ "$next" -le $(($(date +%s) + 1800)) ]
	ok $? "then_the_later_runs_schedule_goes_on_from_its_attempts"

	# smtpd.py --busy N: 421 to the first N EHLO, before any message.
	start_smtpd busy --busy 2 || exit 1
	setup busy "$PORT" "[smtp]" retry_delay=1 retry_window=3
	g send >/dev/null 2>"$T/busy.err"
	is "$?:$(field state)" "0:sent" \
	    "a_server_busy_at_ehlo_is_tried_again_in_the_same_run"
	is "$(grep -c busy "$RECV/busy.log"):$(ls "$RECV" | grep -c '\.eml$')" \
	    "2:1" "after_two_421s_the_third_connection_delivers_once"
	grep -q "trying again in 1 s" "$T/busy.err" &&
	    grep -q "trying again in 2 s" "$T/busy.err"
	ok $? "send_says_it_waits_for_the_busy_server"

	start_smtpd busy0 --busy 1 || exit 1
	setup busy0 "$PORT"
	g send >/dev/null 2>"$T/busy0.err"
	is "$?:$(field state)" "75:queued" \
	    "retry_window_0_leaves_it_queued_when_the_server_is_busy"
	grep -q "421" "$T/busy0.err"
	ok $? "the_busy_servers_reply_is_shown"
else
	diag "aiosmtpd is not installed: in-run retries not tested"
fi

# ------------------------------------------------- a silent server
mkdir -p "$T/silent"
"$PY" - "$T/silent/port" <<'PYEOF' &
import os, socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
end = time.time() + 30
s.settimeout(1)
while time.time() < end:
    try:
        held.append(s.accept()[0])
    except socket.timeout:
        pass
PYEOF
server_pids="$server_pids $!"
wait_file "$T/silent/port" || exit 1
setup silent "$(cat "$T/silent/port")"
start=$(date +%s)
g send >/dev/null 2>"$T/silent.err"
rc=$?
took=$(($(date +%s) - start))
is "$rc" 75 "silent_server_exits_tempfail"
[ "$took" -le 6 ]
ok $? "silent_server_gives_up_within_a_few_seconds"
diag "silent server: gave up after ${took}s with [smtp] timeout = 2"
is "$(field state):$(field attempts)" "queued:0" "silent_server_leaves_the_digest_queued"

done_testing
