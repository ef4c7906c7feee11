#!/bin/sh
# kill -9 in the middle of send, again and again: no digest is lost, and
# each kill duplicates at most the one message in flight.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

have_aiosmtpd || skip_all "Debian's python3-aiosmtpd is not installed"

N=40			# subscribers, one digest each
MAX_ROUNDS=25
MAX_SECONDS=30

# 10 ms between saving a message and saying 250: a send of 40 takes about
# half a second, so kills land mid-run, some right in that window.
GAZETTE_SMTPD_DELAY=0.01
export GAZETTE_SMTPD_DELAY
start_smtp || exit 1
unset GAZETTE_SMTPD_DELAY
write_config "$T/gazette.conf" "$SMTP_PORT"
printf '[collect]\nallow_file = yes\n' >>"$T/gazette.conf"
rss_feed "News" "n-1|Only story|https://news.example.org/1" >"$T/feed.xml"
gz topic add news >/dev/null 2>&1
gz feed add "file://$T/feed.xml" --topic news >/dev/null 2>&1
i=1
while [ $i -le $N ]; do
	gz subscriber add "reader$i@example.org" --topic news >/dev/null 2>&1
	i=$((i + 1))
done
gz collect >/dev/null 2>&1
gz compose >/dev/null 2>&1
is "$(gz outbox list --state queued 2>/dev/null | wc -l | tr -d ' ')" "$N" \
    "one_digest_queued_per_subscriber"

# A random delay of 0-150 ms.
pause() {
	ms=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 151))
	sleep "$(printf '0.%03d' "$ms")"
}

kills=0
rounds=0
start=$(date +%s)
while [ $rounds -lt $MAX_ROUNDS ] &&
    [ $(($(date +%s) - start)) -lt $MAX_SECONDS ]; do
	rounds=$((rounds + 1))
	# Not through gz(): $! must be gazette itself, not a subshell.
	"$GAZETTE" --config "$T/gazette.conf" -q send >/dev/null \
	    2>>"$T/kill.err" &
	pid=$!
	pause
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	# 137: the kill, not a run that had already finished, ended it.
	[ $? -eq 137 ] && kills=$((kills + 1))
	[ -z "$(gz outbox list --state queued 2>/dev/null)" ] && break
done

gz send >"$T/final.out" 2>"$T/final.err"
ok $? "send_after_the_kills_completes"

received=$(received_count)
distinct=$(received_rcpts | uniq | wc -l | tr -d ' ')
dups=$((received - distinct))
diag "rounds: $rounds, kills: $kills, messages received: $received," \
    "distinct recipients: $distinct, duplicates: $dups"
is "$distinct" "$N" "every_subscriber_received_a_digest"
[ "$dups" -le "$kills" ]
ok $? "duplicates_are_at_most_one_per_kill"
is "$(gz outbox list --state queued 2>/dev/null | wc -l | tr -d ' ')" 0 \
    "nothing_is_left_queued"
is "$(gz outbox list --state sent 2>/dev/null | wc -l | tr -d ' ')" "$N" \
    "every_digest_is_marked_sent"
[ "$kills" -gt 0 ]
ok $? "at_least_one_send_was_killed_mid_run"

done_testing
