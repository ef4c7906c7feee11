#!/bin/sh
# gazette bounces over a local Maildir: hard bounces mark a subscriber
# bounced, soft ones only after a run of them, a complaint or an
# unsubscribe mail unsubscribes, an auto-reply and a forged bounce change
# nothing; handled mail is moved (never deleted) and never counted twice.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

write_local_config "$T/gazette.conf"
cat >>"$T/gazette.conf" <<CONF

[mail]
max_bounces = 1
unsubscribe_address = unsubscribe@news.example.org

[bounces]
mailbox = $T/bounces
soft_limit = 2
CONF

gz topic add net --name Networking >/dev/null &&
for a in hard soft complain unsub stays hidden; do
	gz subscriber add "$a@example.net" --topic net >/dev/null || exit 1
done
ok $? "setup: six subscribers"


mkdir -p "$T/bounces/new" "$T/bounces/cur" "$T/bounces/tmp"
n=0
put() {	# put: stdin becomes one message in new/
	n=$((n + 1))
	cat >"$T/bounces/new/100$n.test:2,"
}

dsn() {	# dsn ID RCPT STATUS DIAGNOSTIC
	put <<MAIL
From: MAILER-DAEMON@mx.example.org
To: digest@news.example.org
Subject: Undelivered Mail Returned to Sender
Message-ID: <$1@mx.example.org>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

I could not deliver your message.

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; $2
Action: failed
Status: $3
Diagnostic-Code: smtp; $4

--b--
MAIL
}

dsn hard1 hard@example.net 5.1.1 "550 5.1.1 <hard@example.net>: User unknown"
dsn soft1 soft@example.net 5.2.2 "552 5.2.2 Mailbox full"
dsn forged1 nobody@example.net 5.1.1 "550 5.1.1 User unknown"
arf() {	# arf ID RCPT [ORIGINAL-MESSAGE-ID-LINE]: an ARF abuse report
	put <<MAIL
From: feedback@isp.example
To: abuse@news.example.org
Subject: complaint
Message-ID: <$1@isp.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="f"

--f
Content-Type: text/plain

This is an abuse report.

--f
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: test/1.0
Version: 1
Original-Rcpt-To: $2

--f
Content-Type: text/rfc822-headers

From: digest@news.example.org
To: $2
Subject: Test Weekly
${3:-}

--f--
MAIL
}
arf arf1 complain@example.net
put <<MAIL
From: stays@example.net
To: digest@news.example.org
Subject: Out of office
Message-ID: <away1@example.net>
Auto-Submitted: auto-replied

I am away until Monday.
MAIL
# The unsubscribe mail is what a mail client makes of the mailto: in the
# List-Unsubscribe of unsub's real digest.
mkdir -p "$T/www"
rss_feed "Net News" "n1|Routing news|https://net.example.org/1" \
    >"$T/www/net.xml"
gz feed add "file://$T/www/net.xml" --topic net --no-check >/dev/null 2>&1 &&
    gz collect >/dev/null 2>&1 && gz compose --now >/dev/null 2>&1 &&
    gz send >/dev/null 2>&1
digest=$(grep -l "^To:.*unsub@example.net" "$T"/maildir/new/* | head -n 1)
mailto=$("$PY" - "$digest" <<'PYEOF'
import email, sys, urllib.parse
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
for u in m["List-Unsubscribe"].split(","):
    u = u.strip().strip("<>")
    if u.startswith("mailto:"):
        to, _, q = u[len("mailto:"):].partition("?")
        print(to, urllib.parse.parse_qs(q)["subject"][0])
PYEOF
)
is "$mailto" "unsubscribe@news.example.org unsubscribe $(token_of unsub@example.net)" \
    "the digest's List-Unsubscribe mailto: names the address and the token"
# A complaint whose address the provider redacted: the returned headers
# of hidden's digest carry its Message-ID, which names the reader.
hidden_id=$(grep -h -i "^Message-ID:" \
    "$(grep -l "^To:.*hidden@example.net" "$T"/maildir/new/* | head -n 1)")
arf arf2 redacted@isp.example "$hidden_id"
put <<MAIL
From: unsub@example.net
To: ${mailto%% *}
Subject: ${mailto#* }
Message-ID: <u1@example.net>

MAIL
put <<MAIL
From: reader@example.net
To: digest@news.example.org
Subject: Thanks!
Message-ID: <letter1@example.net>

Great digest this week.
MAIL
printf 'not a mail at all \001\002\n' >"$T/garbage"
put <"$T/garbage"
# A bounce cut off in the middle of its report, and a mail over 10 MB.
dsn cut1 gone@example.net 5.1.1 "550 5.1.1 User unknown"
head -c 300 "$T/bounces/new/100$n.test:2," >"$T/cut"
mv "$T/cut" "$T/bounces/new/100$n.test:2,"
"$PY" -c 'import sys
sys.stdout.write("Subject: huge\nMessage-ID: <huge@example.net>\n\n")
sys.stdout.write(("x" * 999 + "\n") * 11000)' >"$T/huge"
put <"$T/huge"
total=$n

before=$(db_dump)
gz bounces --dry-run >"$T/dry" 2>&1
ok $? "--dry-run runs"
is "$(db_dump)" "$before" "--dry-run changes nothing in the database"
is "$(ls "$T/bounces/new" | wc -l)" "$total" "--dry-run moves nothing"
grep -q "dry run" "$T/dry"
ok $? "--dry-run says so"

gz bounces >"$T/out" 2>&1
ok $? "gazette bounces runs"
sed 's/^/# /' "$T/out"
is "$(status_of hard@example.net)" bounced "a hard bounce marks the subscriber bounced"
is "$(status_of soft@example.net)" active "one soft bounce does not"
is "$(status_of complain@example.net)" unsubscribed "a complaint unsubscribes"
is "$(status_of unsub@example.net)" unsubscribed "a mail with the token unsubscribes"
is "$(status_of stays@example.net)" active "an auto-reply changes nothing"
is "$(status_of hidden@example.net)" unsubscribed \
    "a redacted complaint unsubscribes the reader its Message-ID names"
moved=$(ls "$T/bounces/.gazette-done/cur" | wc -l)
left=$(ls "$T/bounces/new" "$T/bounces/cur" | grep -c "^100")
is "$moved" 7 "the seven handled mails are moved to the done folder"
is "$left" 4 "the letter, the garbage, the cut-off and the huge mail stay"
is "$((moved + left))" "$total" "no mail is lost"
grep -q "1 hard, 1 soft, 2 complaints, 1 unsubscribes, 1 ignored, 1 unknown" "$T/out"
ok $? "the summary counts each kind"
grep -q "over 10 MB: left in the mailbox" "$T/out"
ok $? "the huge mail is named as left in place"

# The same mails again (a crash before the move, say): counted once.
cp "$T/bounces/.gazette-done/cur/"* "$T/bounces/new/"
gz bounces >"$T/again" 2>&1
ok $? "a second run over the same mails runs"
grep -q "0 hard, 0 soft" "$T/again" && grep -q "7 handled before" "$T/again"
ok $? "a second run counts nothing again"

# A second soft bounce (a new mail) reaches soft_limit = 2.
dsn soft2 soft@example.net 4.2.2 "452 4.2.2 Mailbox full"
gz bounces >/dev/null 2>&1
is "$(status_of soft@example.net)" bounced "a run of soft bounces suspends the subscriber"

# gazette run reads the mailbox first: a reader whose address bounced gets
# no digest from the same run; the others do.
gz subscriber add late@example.net --topic net >/dev/null 2>&1
gz subscriber add fine@example.net --topic net >/dev/null 2>&1
dsn late1 late@example.net 5.1.1 "550 5.1.1 <late@example.net>: User unknown"
rss_feed "Net News" "n2|Switching news|https://net.example.org/2" \
    >"$T/www/net.xml"
touch -d "@$(($(date +%s) + 60))" "$T/www/net.xml"
gz run >"$T/run" 2>&1
ok $? "run with a bounce in the mailbox succeeds"
is "$(status_of late@example.net)" bounced "run reads the bounce first"
is "$(grep -l "^To:.*late@example.net" "$T"/maildir/new/* | wc -l)" 0 \
    "so the bounced reader gets no digest"
is "$(grep -l "^To:.*fine@example.net" "$T"/maildir/new/* | wc -l)" 1 \
    "and the others get theirs"

# A relative Maildir path is taken from the configuration file's folder.
sed -i "s|^mailbox = .*|mailbox = bounces|" "$T/gazette.conf"
(cd / && gz bounces --dry-run >/dev/null 2>&1)
ok $? "a relative mailbox path is relative to the configuration file"

# Bad configuration: clear errors, non-zero exit.
sed -i "s|^mailbox = .*|mailbox = $T/nowhere|" "$T/gazette.conf"
gz bounces >/dev/null 2>"$T/err"
is "$?" 74 "a missing Maildir exits 74"
grep -q "nowhere" "$T/err"
ok $? "and the message names it"
gz subscriber add later@example.net --topic net >/dev/null 2>&1
gz run >/dev/null 2>"$T/err"
is "$?" 0 "a run whose bounce mailbox is missing still mails"
grep -q "bounce mailbox was not read; going on" "$T/err"
ok $? "and warns that it did not read it"
is "$(grep -l "^To:.*later@example.net" "$T"/maildir/new/* | wc -l)" 1 \
    "the digest went out"
sed -i "s|^mailbox = .*|mailbox = imaps://bounces@127.0.0.1/INBOX|" "$T/gazette.conf"
gz bounces >/dev/null 2>"$T/err"
is "$?" 78 "an IMAP mailbox without a password_file exits 78"

done_testing
