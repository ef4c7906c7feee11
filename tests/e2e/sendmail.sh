#!/bin/sh
# [mail] transport = sendmail: the configured command gets the message on
# its standard input with local line ends and its own arguments (-oi -t:
# recipients from the header, a lone "." is no end of input), and its exit
# status decides: 0 sent, 75 (EX_TEMPFAIL) and any other failure deferred
# for a retry, 67 (EX_NOUSER) a hard bounce, 65 (EX_DATAERR) failed.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

# A stand-in for sendmail that keeps what it was given: sent/N.argv (one
# argument a line) and sent/N.msg, then exits with the status in $T/status.
FAKE=$T/fake-sendmail
cat >"$FAKE" <<'EOF'
#!/bin/sh
dir=$(dirname "$0")/sent
mkdir -p "$dir"
n=$(ls "$dir" | grep -c '\.msg$')
printf '%s\n' "$@" >"$dir/$n.argv"
cat >"$dir/$n.msg"
exit "$(cat "$(dirname "$0")/status")"
EOF
chmod +x "$FAKE"
echo 0 >"$T/status"

write_config "$T/gazette.conf" 25
cat >>"$T/gazette.conf" <<CONF
[mail]
transport = sendmail
sendmail = $FAKE -oi -t
; one digest goes to the same reader after each status: the hard bounce
; of exit 67 must not retire them before the later cases
max_bounces = 5
[collect]
allow_file = yes
CONF
rss_feed "News" "n-1|First story|https://news.example.org/1" >"$T/feed.xml"
# A note with a paragraph that is a lone dot: a sendmail without -oi
# would take such a line as the end of the message.
printf 'Before the dot.\n\n.\n\nAfter the dot.\n' >"$T/note.md"
export GAZETTE_NOW=1795000000
gz topic add news >/dev/null 2>&1
gz feed add "file://$T/feed.xml" --topic news >/dev/null 2>&1
gz subscriber add zoe@example.org --name Zoe --topic news >/dev/null 2>&1
gz collect >/dev/null 2>&1
gz compose --note "$T/note.md" >/dev/null 2>&1

state() {	# state ID: the digest's state, as outbox show tells it
	gz outbox show "$1" 2>/dev/null | sed -n 's/^state: *//p'
}

gz send --dry-run >"$T/dry.out" 2>/dev/null
is "$(cut -f4 "$T/dry.out")" "sendmail '$FAKE -oi -t'" \
    "dry_run_names_the_sendmail_command"

# The same outbox, copied, goes to a Maildir too: the message to compare.
mkdir "$T/copy"
"$PY" -c 'import sqlite3, sys
sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))' \
    "$T/gazette.db" "$T/copy/gazette.db"
sed "s|^database = .*|database = $T/copy/gazette.db|" "$T/gazette.conf" \
    >"$T/copy/gazette.conf"
printf '[mail]\ntransport = maildir\nmaildir = %s\n' "$T/copy/maildir" \
    >>"$T/copy/gazette.conf"
"$GAZETTE" --config "$T/copy/gazette.conf" send >/dev/null 2>&1

gz send >"$T/ok.out" 2>"$T/ok.err"
is "$?:$(state 1)" "0:sent" "sendmail_exit_0_marks_the_digest_sent"
is "$(tr '\n' ' ' <"$T/sent/0.argv")" "-oi -t " \
    "the_command_gets_its_configured_arguments"
grep -q "digest 1 to zoe@example.org sent" "$T/ok.err"
ok $? "a_line_says_it_was_sent"

# The message, less its random MIME boundary, is the one the Maildir
# transport wrote for the same digest, with LF line ends instead of CRLF.
"$PY" - "$T/sent/0.msg" "$T"/copy/maildir/new/* >"$T/same.out" 2>&1 <<'PYEOF'
import re, sys
got = open(sys.argv[1], "rb").read()
want = open(sys.argv[2], "rb").read()
def plain(b):
    m = re.search(rb'boundary="([^"]+)"', b)
    return b.replace(m.group(1), b"BOUNDARY") if m else b
if b"\r" in got:
    sys.exit("the message has CR bytes: sendmail wants local line ends")
if plain(got) != plain(want.replace(b"\r\n", b"\n")):
    sys.exit("the message differs from the Maildir transport's")
PYEOF
ok $? "the_message_arrives_intact_with_local_line_ends"
sed 's/^/#   /' "$T/same.out"
grep -q '^To: Zoe <zoe@example.org>$' "$T/sent/0.msg"
ok $? "the_recipient_is_in_the_header_for_sendmail_-t"
# Quoted-printable writes it as "=2E", so no sendmail stops early.
grep -q '^=2E$' "$T/sent/0.msg" && ! grep -q '^\.\{1,2\}$' "$T/sent/0.msg"
ok $? "a_lone_dot_line_goes_encoded_so_no_sendmail_ends_early"

# requeue: a new story, one more queued digest for the next case.
n=1
# The clock stands still, so deferred digests stay deferred.
requeue() {
	n=$((n + 1))
	rss_feed "News" "n-$n|Story $n|https://news.example.org/$n" \
	    >"$T/feed.xml"
	gz collect >/dev/null 2>&1
	gz compose --now >/dev/null 2>&1
}

# send_with STATUS: send the queued digest with the command exiting STATUS.
send_with() {
	echo "$1" >"$T/status"
	gz send >"$T/s$1.out" 2>"$T/s$1.err"
	RC=$?
}

requeue
send_with 75
is "$RC:$(state 2)" "75:deferred" "exit_75_defers_the_digest"
grep -q "digest 2 to zoe@example.org deferred: '$FAKE -oi -t' exited \
with status 75" "$T/s75.err"
ok $? "the_deferral_names_the_command_and_its_status"
is "$(gz outbox show 2 2>/dev/null | sed -n 's/^attempts: *//p')" 1 \
    "the_deferred_digest_counts_one_attempt"

# Any other failure (sendmail's own trouble, a full disk) is taken as
# temporary too: the digest waits for a retry rather than being lost.
requeue
send_with 1
is "$RC:$(state 3)" "75:deferred" "exit_1_defers_the_digest"

requeue
send_with 67
is "$RC:$(state 4):$(subscriber_field bounces zoe@example.org)" \
    "1:failed:1" "exit_67_fails_the_digest_and_counts_a_hard_bounce"

requeue
send_with 65
is "$RC:$(state 5)" "1:failed" "exit_65_fails_the_digest"

# A command that cannot run at all leaves its digest for a retry.
requeue
sed -i "s|^sendmail = .*|sendmail = $T/no-such-sendmail -oi -t|" \
    "$T/gazette.conf"
gz send >"$T/missing.out" 2>"$T/missing.err"
is "$?:$(state 6)" "75:deferred" "a_missing_command_defers_the_digest"
grep -q "exited with status 127" "$T/missing.err"
ok $? "a_missing_command_is_reported_with_the_shell_s_status"

done_testing
