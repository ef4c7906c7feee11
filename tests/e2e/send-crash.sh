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

# crash_rounds CONNECTIONS: send over that many connections and kill -9
# the whole send (the process group: with connections > 1 each connection
# has a process of its own) at random moments, until nothing is queued or
# the rounds or seconds run out; sets kills and rounds.  The senders get a
# session of their own (setsid), so the kill reaches every one of them.
crash_rounds() {
	printf '[smtp]\nconnections = %s\n' "$1" >>"$T/gazette.conf"
	kills=0
	rounds=0
	start=$(date +%s)
	while [ $rounds -lt $MAX_ROUNDS ] &&
	    [ $(($(date +%s) - start)) -lt $MAX_SECONDS ]; do
		rounds=$((rounds + 1))
		# Not through gz(): $! must be gazette itself, not a subshell.
		setsid "$GAZETTE" --config "$T/gazette.conf" -q send \
		    >/dev/null 2>>"$T/kill.err" &
		pid=$!
		pause
		kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		# 137: the kill, not a run that had already finished, ended it.
		[ $? -eq 137 ] && kills=$((kills + 1))
		[ -z "$(gz outbox list --state queued 2>/dev/null)" ] && break
	done
}

# check_round CONNECTIONS: after the kills, a plain send delivers the rest;
# every reader has the digest, and each kill doubled at most one message
# per connection.
check_round() {
	gz send >"$T/final.out" 2>"$T/final.err"
	ok $? "send_after_the_kills_completes_with_$1_connections"
	received=$(received_count)
	distinct=$(received_rcpts | uniq | wc -l | tr -d ' ')
	dups=$((received - distinct))
	diag "$1 connection(s): rounds: $rounds, kills: $kills, messages" \
	    "received: $received, distinct recipients: $distinct," \
	    "duplicates: $dups"
	is "$distinct" "$N" "every_subscriber_received_a_digest_with_$1_connections"
	[ "$dups" -le $((kills * $1)) ]
	ok $? "duplicates_are_at_most_one_per_kill_and_connection_with_$1"
	is "$(gz outbox list --state queued 2>/dev/null | wc -l | tr -d ' ')" 0 \
	    "nothing_is_left_queued_with_$1_connections"
	[ "$kills" -gt 0 ]
	ok $? "at_least_one_send_was_killed_mid_run_with_$1_connections"
}

crash_rounds 1
check_round 1
is "$(gz outbox list --state sent 2>/dev/null | wc -l | tr -d ' ')" "$N" \
    "every_digest_is_marked_sent"

# A second issue, new to everyone, over two connections at once.
rm -f "$SMTP_DIR"/*.eml "$SMTP_DIR"/*.env
rss_feed "News" "n-1|Only story|https://news.example.org/1" \
    "n-2|Second story|https://news.example.org/2" >"$T/feed.xml"
gz collect --all >/dev/null 2>&1
gz compose --now >/dev/null 2>&1
is "$(gz outbox list --state queued 2>/dev/null | wc -l | tr -d ' ')" "$N" \
    "a_second_digest_queued_per_subscriber"
crash_rounds 2
check_round 2
is "$(gz outbox list --state sent 2>/dev/null | wc -l | tr -d ' ')" \
    $((2 * N)) "every_digest_of_both_issues_is_marked_sent"
done_testing
