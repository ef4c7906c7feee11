#!/bin/sh
# Sending many digests: one SMTP connection carries them all, [smtp]
# connections spreads them over parallel connections with every digest
# sent and recorded exactly once, and [smtp] rate spaces them out.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/e2e/smtp-lib.sh"

have_aiosmtpd || skip_all "python3-aiosmtpd is not installed"

rss_feed "News" "n-1|First story|https://news.example.org/1" >"$T/feed.xml"
READERS="ann bob cat dan eve fay"

peers() {	# connections the server in $1 saw deliver something
	cat "$1"/*.env 2>/dev/null | grep '^PEER:' | sort -u | wc -l |
	    tr -d ' '
}

rcpts() {	# recipients the server in $1 got, sorted, one line
	cat "$1"/*.env 2>/dev/null | sed -n 's/^RCPT TO://p' | sort | tr '\n' ' '
}

want="ann@example.org bob@example.org cat@example.org dan@example.org \
eve@example.org fay@example.org "

now_ms() {
	"$PY" -c 'import time; print(int(time.time() * 1000))'
}

# ------------------------------------------------- one connection
start_smtpd one || exit 1
case_setup one "$PORT"
g send >"$T/one.out" 2>"$T/one.err"
is "$?:$(sql "select count(*) from digests where state = 'sent'")" "0:6" \
    "six_digests_are_sent"
is "$(peers "$RECV")" 1 "one_connection_carries_every_message"
is "$(rcpts "$RECV")" "$want" "each_reader_gets_exactly_one_message"

# --------------------------------------------- parallel connections
export GAZETTE_SMTPD_DELAY=0.3
start_smtpd par || exit 1
unset GAZETTE_SMTPD_DELAY
case_setup par "$PORT" connections=3
start=$(now_ms)
g send >"$T/par.out" 2>"$T/par.err"
rc=$?
took=$(($(now_ms) - start))
is "$rc:$(sql "select count(*) from digests where state = 'sent'")" "0:6" \
    "parallel_connections_send_every_digest"
is "$(rcpts "$RECV")" "$want" "parallel_connections_send_each_digest_once"
is "$(peers "$RECV")" 3 "three_connections_share_the_work"
grep -q "send: 6 sent, 0 deferred, 0 failed, 0 left queued" "$T/par.err"
ok $? "parallel_summary_counts_every_connection"
# Six messages at 0.3 s each would take 1.8 s over one connection.
[ "$took" -lt 1500 ]
ok $? "parallel_connections_are_faster_than_one"
diag "3 connections, 6 messages held 0.3 s each: ${took} ms"

# ------------------------------------------------------------ rate
start_smtpd rate || exit 1
case_setup rate "$PORT" rate=4
start=$(now_ms)
g send >/dev/null 2>&1
took=$(($(now_ms) - start))
is "$(sql "select count(*) from digests where state = 'sent'")" 6 \
    "rate_limited_send_delivers_all"
# The 6th message leaves 5/4 s after the first.
[ "$took" -ge 1250 ]
ok $? "four_per_second_spaces_six_messages_over_a_second_and_more"
diag "rate = 4, 6 messages: ${took} ms"

case_setup rate_par "$PORT" rate=4 connections=2
start=$(now_ms)
g send >/dev/null 2>&1
took=$(($(now_ms) - start))
# Each of two connections sends 3 at 2 per second: the 3rd 1 s after the 1st.
[ "$took" -ge 1000 ] && [ "$(rcpts "$RECV" | wc -w)" -eq 12 ]
ok $? "the_rate_holds_for_all_connections_together"
diag "rate = 4 over 2 connections, 6 messages: ${took} ms"

# ------------------------------------------ RSET between messages
# Each message after a connection's first starts with RSET; where the
# server offers PIPELINING it goes out with MAIL, RCPT and DATA, costing no
# round trip of its own.  session.log: "PORT MAIL", "PORT RSET[+VERB...]".
session() {	# the commands of the server in $1, without the port
	cut -d' ' -f2 "$1/session.log" | tr '\n' ' '
}

for mode in plain pipelining; do
	opt=--session-log
	[ "$mode" = pipelining ] && opt=--pipelining
	start_smtpd "rset$mode" $opt || exit 1
	READERS="ann bob" case_setup "rset$mode" "$PORT"
	g send >"$T/rset$mode.out" 2>"$T/rset$mode.err"
	is "$?:$(rcpts "$RECV")" "0:ann@example.org bob@example.org " \
	    "${mode}_both_messages_arrive"
	is "$(peers "$RECV"):$(cut -d' ' -f1 "$RECV/session.log" | sort -u |
	    wc -l | tr -d ' ')" "1:1" "${mode}_one_connection_carries_both"
done
is "$(session "$T/rsetplain.recv")" "MAIL RSET MAIL " \
    "rset_before_the_second_message_and_not_the_first"
is "$(session "$T/rsetpipelining.recv")" "MAIL RSET+MAIL+RCPT+DATA MAIL " \
    "with_pipelining_rset_goes_out_with_mail_rcpt_and_data"

# ------------------------------------------------- nobody listening
closed=$(free_port)
case_setup down "$closed" connections=3
g send >"$T/down.out" 2>"$T/down.err"
is "$?:$(sql "select count(*) from digests where state = 'queued'")" "75:6" \
    "parallel_send_to_no_server_leaves_everything_queued"
grep -q "6 left queued" "$T/down.err"
ok $? "parallel_send_to_no_server_counts_what_is_left"
grep -q "cannot reach the SMTP server" "$T/down.err"
ok $? "parallel_send_to_no_server_says_why"

done_testing
