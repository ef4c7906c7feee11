#!/bin/sh
# tests/e2e/cgi.sh - gazette cgi behind a real lighttpd (mod_cgi): the
# unsubscribe and confirm pages, driven with curl, and double opt-in.
. "$(dirname "$0")/../lib.sh"

command -v lighttpd >/dev/null 2>&1 || skip_all "lighttpd is not installed"
command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"
have_aiosmtpd || skip_all "aiosmtpd is not installed"

start_smtp || { echo "Bail out! SMTP server"; exit 1; }
WEB_PORT=$(free_port)
BASE=http://127.0.0.1:$WEB_PORT/gazette
write_config "$T/gazette.conf" "$SMTP_PORT"
sed -i "s|^base_url = .*|base_url = $BASE|" "$T/gazette.conf"

# The web server: the alias hands /gazette/PAGE to a wrapper that runs
# gazette cgi with PATH_INFO=/PAGE; GAZETTE_CONF comes from mod_setenv.
mkdir -p "$T/www" "$T/cgi"
printf '#!/bin/sh\nexec "%s" cgi\n' "$GAZETTE" >"$T/cgi/gazette.cgi"
chmod +x "$T/cgi/gazette.cgi"
lighttpd_conf "$T/lighttpd.conf" "$WEB_PORT" "$T/www" mod_alias mod_setenv \
    mod_cgi
cat >>"$T/lighttpd.conf" <<CONF
alias.url = ("/gazette" => "$T/cgi/gazette.cgi")
cgi.assign = (".cgi" => "")
setenv.add-environment = ("GAZETTE_CONF" => "$T/gazette.conf")
CONF
start_lighttpd "$T/lighttpd.conf" "http://127.0.0.1:$WEB_PORT/" ||
    { echo "Bail out! lighttpd"; exit 1; }

# req METHOD URL [curl args]: the status on stdout, headers and body in
# $T/h and $T/b.
req() {
	m=$1 u=$2
	shift 2
	curl -s -X "$m" -D "$T/h" -o "$T/b" -w '%{http_code}' "$@" "$u"
}

gz topic add net >/dev/null 2>&1
gz subscriber add ada@example.org --topic net 2>/dev/null
gz subscriber add bob@example.org --topic net 2>/dev/null
TOK=$(token_of ada@example.org)
ok $(echo "$TOK" | grep -Eqx '[0-9a-f]{32}'; echo $?) \
    "the subscriber has a token"

is "$(req GET "$BASE/unsubscribe?t=$TOK")" 200 "GET /unsubscribe is 200"
ok $(grep -q '<form method="post"' "$T/b"; echo $?) "the page has a POST form"
ok $(grep -q 'a\*\*\*@example.org' "$T/b"; echo $?) \
    "the page shows the address masked"
ok $(! grep -q 'ada@' "$T/b"; echo $?) "and never the whole address"
ok $(grep -qi '^Content-Type: text/html; charset=utf-8' "$T/h"; echo $?) \
    "the page is UTF-8 HTML"
ok $(grep -qi '^Cache-Control: no-store' "$T/h" &&
    grep -qi '^X-Content-Type-Options: nosniff' "$T/h" &&
    grep -qi "^Content-Security-Policy: default-src 'none'" "$T/h" &&
    grep -qi '^Referrer-Policy: no-referrer' "$T/h"; echo $?) \
    "no-store and the security headers are sent"
is "$(status_of ada@example.org)" active "a GET changes nothing"

is "$(req POST "$BASE/unsubscribe?t=$TOK" \
    -H 'Content-Type: application/x-www-form-urlencoded' \
    --data 'List-Unsubscribe=One-Click')" 200 "a one-click POST is 200"
is "$(status_of ada@example.org)" unsubscribed "and unsubscribes at once"
is "$(req POST "$BASE/unsubscribe?t=$TOK" \
    -H 'Content-Type: application/x-www-form-urlencoded' \
    --data 'List-Unsubscribe=One-Click')" 200 "a second POST is 200 too"
is "$(status_of ada@example.org)" unsubscribed "and still unsubscribed"
is "$(status_of bob@example.org)" active "nobody else is touched"

before=$(db_dump)
is "$(req GET "$BASE/unsubscribe?t=0123456789abcdef0123456789abcdef")" 404 \
    "an unknown token is 404"
ok $(! grep -Eq '@|example' "$T/b"; echo $?) \
    "and the 404 names no subscriber"
is "$(req GET "$BASE/unsubscribe?t=nothex")" 404 "a malformed token is 404"
# lighttpd re-encodes a stray % in the query (%zz becomes %25zz), so the
# parser's 400 is checked on gazette cgi directly, and through the server
# the token is merely wrong.
is "$(req GET "$BASE/unsubscribe?t=%zz")" 404 \
    "a stray % in the query, re-encoded by lighttpd, is a wrong token: 404"
first=$(REQUEST_METHOD=GET PATH_INFO=/unsubscribe QUERY_STRING='t=%zz' \
    GAZETTE_CONF=$T/gazette.conf "$GAZETTE" cgi | head -n 1)
is "$first" "$(printf 'Status: 400 Bad Request\r')" \
    "gazette cgi answers bad percent-encoding in the query with 400"
big=$(head -c 5000 /dev/zero | tr '\0' a)
is "$(req GET "$BASE/unsubscribe?t=$TOK&x=$big")" 413 \
    "a query over 4 KB is 413"
TOKB=$(token_of bob@example.org)
is "$(req POST "$BASE/unsubscribe?t=$TOKB" \
    -H 'Content-Type: application/x-www-form-urlencoded' \
    --data "List-Unsubscribe=One-Click&x=$big")" 413 \
    "a body over 4 KB is 413"
is "$(req POST "$BASE/unsubscribe?t=$TOKB" \
    -H 'Content-Type: application/x-www-form-urlencoded' \
    --data 'List-Unsubscribe=%G1')" 400 "a malformed body is 400"
is "$(req PUT "$BASE/unsubscribe?t=$TOKB")" 405 "PUT is 405"
ok $(grep -qi '^Allow: GET, POST' "$T/h"; echo $?) "with an Allow header"
is "$(req GET "$BASE/admin?t=$TOKB")" 404 "another page is 404"
is "$(db_dump)" "$before" "refused requests changed nothing"

# Double opt-in: pending, a mail with the link, no digest until confirmed.
check "subscriber add --confirm" gz subscriber add cy@example.org \
    --topic net --confirm
is "$(status_of cy@example.org)" pending "the new subscriber is pending"
mail=$(received_for cy@example.org)
ok $([ -n "$mail" ]; echo $?) "a confirmation mail was sent"
clink=$(decoded_body "$mail" | grep -o "$BASE/confirm?t=[0-9a-f]*" | head -n 1)
ok $([ -n "$clink" ]; echo $?) "it holds the confirm link"

mkdir -p "$T/feeds"
rss_feed Net "g1|First|https://example.org/1" >"$T/feeds/net.xml"
start_http "$T/feeds" || { echo "Bail out! HTTP server"; exit 1; }
gz feed add "http://127.0.0.1:$HTTP_PORT/net.xml" --topic net \
    --no-check >/dev/null 2>&1
gz collect >/dev/null 2>&1
n0=$(received_count)
gz compose --now >/dev/null 2>&1
gz send >/dev/null 2>&1
is "$(received_rcpts | grep -c '^cy@')" 1 \
    "a pending subscriber gets no digest (only the confirm mail)"

is "$(req GET "$clink")" 200 "GET /confirm is 200"
ok $(grep -q 'confirmed' "$T/b"; echo $?) "the page says it is confirmed"
is "$(status_of cy@example.org)" active "and the subscriber is active"
is "$(req GET "$clink")" 200 "a second GET /confirm is 200 too"
is "$(status_of cy@example.org)" active "and still active"
is "$(req POST "$clink" --data "")" 405 "POST /confirm is 405"
is "$(req GET "$BASE/confirm?t=$TOK")" 404 \
    "an unsubscribed subscriber's token does not resubscribe them"
is "$(status_of ada@example.org)" unsubscribed "they stay unsubscribed"

# The digest's List-Unsubscribe URL works against the CGI.
bmail=$(received_for bob@example.org)
ok $([ -n "$bmail" ] && [ "$(received_count)" -gt "$n0" ]; echo $?) \
    "bob got a digest"
unsub=$("$PY" -c 'import email, sys
h = email.message_from_binary_file(open(sys.argv[1], "rb"))["List-Unsubscribe"]
print([u.strip().strip("<>") for u in h.split(",")
       if not u.strip().startswith("<mailto:")][0])' "$bmail")
ok $(grep -qi '^List-Unsubscribe-Post: List-Unsubscribe=One-Click' \
    "$bmail"; echo $?) "the digest offers one-click"
is "$(req POST "$unsub" -H 'Content-Type: application/x-www-form-urlencoded' \
    --data 'List-Unsubscribe=One-Click')" 200 \
    "the digest's List-Unsubscribe URL answers a one-click POST"
is "$(status_of bob@example.org)" unsubscribed "and unsubscribes bob"

# A digest still queued when its reader unsubscribes is not sent.
gz subscribe cy@example.org net >/dev/null 2>&1
rss_feed Net "g1|First|https://example.org/1" "g2|Second|https://example.org/2" \
    >"$T/feeds/net.xml"
touch -d "@$(($(date +%s) + 60))" "$T/feeds/net.xml"	# not a 304
gz collect --all >/dev/null 2>&1
gz compose --now >/dev/null 2>&1
is "$(gz outbox list --state queued | grep -c cy@example.org)" 1 \
    "cy has a digest queued"
is "$(req POST "$BASE/unsubscribe?t=$(token_of cy@example.org)" \
    -H 'Content-Type: application/x-www-form-urlencoded' \
    --data 'List-Unsubscribe=One-Click')" 200 "cy unsubscribes"
n1=$(received_count)
gz send >/dev/null 2>&1
is "$(received_count)" "$n1" "the queued digest is not sent after all"
is "$(gz outbox list --state dropped | grep -c cy@example.org)" 1 \
    "it is dropped, and kept"

# Expiry: an unconfirmed subscriber is gone after confirm_expiry_days.
now=$(date +%s)
GAZETTE_NOW=$now gz subscriber add dee@example.org --topic net --confirm \
    2>/dev/null
GAZETTE_NOW=$((now + 6 * 86400)) gz compose --now >/dev/null 2>&1
is "$(status_of dee@example.org)" pending "a pending subscriber stays 6 days"
GAZETTE_NOW=$((now + 8 * 86400)) gz compose --now 2>"$T/err"
gz subscriber show dee@example.org >/dev/null 2>&1
is $? 65 "compose removes one left pending 8 days"
ok $(grep -q 'did not confirm' "$T/err"; echo $?) "and says so"
is "$(status_of cy@example.org)" unsubscribed \
    "a subscriber who confirmed is not removed"

# double_opt_in = yes makes every add pending; without base_url there is
# no link to send, and nothing is added.
sed 's|^base_url = .*|&\ndouble_opt_in = yes|' "$T/gazette.conf" >"$T/optin.conf"
"$GAZETTE" --config "$T/optin.conf" subscriber add eve@example.org \
    --topic net 2>/dev/null
is "$(status_of eve@example.org)" pending \
    "with double_opt_in = yes a plain subscriber add is pending"
grep -v '^base_url' "$T/gazette.conf" >"$T/nobase.conf"
"$GAZETTE" --config "$T/nobase.conf" subscriber add fay@example.org \
    --topic net --confirm 2>"$T/err"
is $? 69 "--confirm without base_url fails (69)"
gz subscriber show fay@example.org >/dev/null 2>&1
is $? 65 "and adds nobody"
ok $(grep -q 'base_url' "$T/err"; echo $?) "the error names base_url"

# The pending subscriber is committed before the SMTP exchange: while a
# slow server holds back its 250, the database takes another writer at
# once and already shows them pending.
GAZETTE_SMTPD_DELAY=3 "$PY" "$top_srcdir/tests/servers/smtpd.py" "$T/slow" \
    "$T/slow.port" 2>"$T/slow.err" &
server_pids="$server_pids $!"
wait_file "$T/slow.port" || { echo "Bail out! slow SMTP server"; exit 1; }
sed "s|^port = .*|port = $(cat "$T/slow.port")|" "$T/gazette.conf" \
    >"$T/slow.conf"
"$GAZETTE" --config "$T/slow.conf" subscriber add hal@example.org \
    --topic net --confirm 2>"$T/slow.add.err" &
addpid=$!
i=0
until ls "$T/slow"/*.eml >/dev/null 2>&1 || [ $i -gt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
"$PY" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("ROLLBACK")' "$T/gazette.db" 2>"$T/lock.err"
ok $? "the database is not write-locked while the confirmation mail is sent"
is "$(status_of hal@example.org)" pending \
    "and the pending subscriber is already committed"
wait $addpid
is $? 0 "subscriber add --confirm against a slow server still succeeds"

# A confirmation mail that cannot go: the subscriber stays pending, the
# command says so and exits 75; running it again once the server is back
# mails the link (the same token), rather than failing as a duplicate.
sed "s|^port = .*|port = $(free_port)|" "$T/gazette.conf" >"$T/down.conf"
"$GAZETTE" --config "$T/down.conf" subscriber add gus@example.org \
    --topic net --confirm 2>"$T/err"
is $? 75 "--confirm with the SMTP server down exits 75"
is "$(status_of gus@example.org)" pending "and keeps the subscriber pending"
ok $(grep -q 'gus@example.org is pending, but the confirmation mail was not sent: cannot reach the SMTP server' "$T/err" &&
    grep -q 'again to send it' "$T/err"; echo $?) \
    "and says the mail was not sent and how to send it"
gz subscriber add gus@example.org --topic net --confirm 2>"$T/err"
is $? 0 "running --confirm again for a pending subscriber succeeds"
ok $(grep -q 'still pending: sent the confirmation request again' "$T/err"
    echo $?) "and says it sent the request again"
gmail=$(received_for gus@example.org)
ok $(decoded_body "$gmail" | grep -q "$BASE/confirm?t=$(token_of gus@example.org)"
    echo $?) "the mail holds the subscriber's confirm link"
gz subscriber add cy@example.org --topic net --confirm 2>"$T/err"
is $? 65 "--confirm for a subscriber who is not pending is refused (65)"
ok $(grep -q "already exists (unsubscribed)" "$T/err"; echo $?) \
    "naming their status"

# The shipped lighttpd snippet is a valid configuration.
printf 'server.document-root = "%s"\nserver.port = %s\ninclude "%s"\n' \
    "$T/www" "$WEB_PORT" "$top_srcdir/contrib/lighttpd/gazette-cgi.conf" \
    >"$T/sample.conf"
check "contrib/lighttpd/gazette-cgi.conf passes lighttpd -tt" \
    lighttpd -tt -f "$T/sample.conf"

done_testing
