# tests/lib.sh - shared pieces of the end-to-end tests (TAP in sh).
#
# Sourced by tests/e2e/*.sh.  Gives: a scratch folder, TAP helpers, real
# servers on 127.0.0.1 (HTTP for feeds, SMTP for delivery) on ports they
# pick themselves, and cleanup of all of it when the test exits.

set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${GAZETTE:=$top_builddir/gazette}"
: "${GAZETTE_SHARED:=$top_srcdir/../shared}"
PY=/usr/bin/python3
export top_srcdir top_builddir GAZETTE GAZETTE_SHARED

T=$(mktemp -d "${TMPDIR:-/tmp}/gazette-test.XXXXXX")
tap_n=0
tap_failed=0
server_pids=""

cleanup() {
	for pid in $server_pids; do
		kill "$pid" 2>/dev/null
	done
	for pid in $server_pids; do
		wait "$pid" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ok() {	# ok CONDITION-EXIT-STATUS NAME
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

check() {	# check NAME COMMAND...: ok when the command succeeds
	name=$1
	shift
	if "$@" >"$T/check.out" 2>&1; then
		ok 0 "$name"
	else
		ok 1 "$name"
		sed 's/^/#   /' "$T/check.out"
	fi
}

is() {	# is GOT WANT NAME
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   got:  '$1'"
		echo "#   want: '$2'"
	fi
}

diag() {
	echo "# $*"
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

# Wait for FILE to appear (a server's port file); fail after 10 s.
wait_file() {
	i=0
	while [ ! -s "$1" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.1
	done
}

# start_http DIR: serve DIR; sets HTTP_PORT and HTTP_LOG.
start_http() {
	HTTP_LOG=$T/http.log
	: >"$HTTP_LOG"
	"$PY" "$top_srcdir/tests/servers/httpd.py" "$1" "$T/http.port" \
	    "$HTTP_LOG" 2>"$T/http.err" &
	server_pids="$server_pids $!"
	wait_file "$T/http.port" || { cat "$T/http.err"; return 1; }
	HTTP_PORT=$(cat "$T/http.port")
}

# lighttpd_conf FILE PORT ROOT MODULE...: the start of a lighttpd
# configuration serving ROOT on 127.0.0.1:PORT with those modules, its
# error log in $T/lighttpd.err; the test appends its own lines.
lighttpd_conf() {
	file=$1 port=$2 root=$3
	shift 3
	mods=
	for m in "$@"; do
		mods="$mods${mods:+, }\"$m\""
	done
	cat >"$file" <<CONF
server.modules = ($mods)
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$root"
server.errorlog = "$T/lighttpd.err"
CONF
}

# start_lighttpd CONF URL [CURL-OPTION...]: Debian's lighttpd in the
# foreground with CONF (its stderr in $T/lighttpd.out), waited for until
# curl gets an answer from URL; fails after 10 s.  Sets LIGHTTPD_PID.
start_lighttpd() {
	conf=$1 url=$2
	shift 2
	lighttpd -D -f "$conf" 2>"$T/lighttpd.out" &
	LIGHTTPD_PID=$!
	server_pids="$server_pids $LIGHTTPD_PID"
	i=0
	until curl -s -o /dev/null "$@" "$url"; do
		i=$((i + 1))
		[ $i -gt 100 ] && { cat "$T/lighttpd.out"; return 1; }
		sleep 0.1
	done
}

# start_smtp: sets SMTP_PORT and SMTP_DIR (one N.eml per message).
start_smtp() {
	SMTP_DIR=$T/received
	"$PY" "$top_srcdir/tests/servers/smtpd.py" "$SMTP_DIR" "$T/smtp.port" \
	    2>"$T/smtp.err" &
	server_pids="$server_pids $!"
	wait_file "$T/smtp.port" || { cat "$T/smtp.err"; return 1; }
	SMTP_PORT=$(cat "$T/smtp.port")
}

have_aiosmtpd() {
	"$PY" -c 'import aiosmtpd' 2>/dev/null
}

# need_dkim_checks: skip the test unless the SMTP server, python3-dkim and
# the shared mailcheck.py are there; sets MAILCHECK.
need_dkim_checks() {
	have_aiosmtpd || skip_all "Debian's python3-aiosmtpd is not installed"
	"$PY" -c 'import dkim' 2>/dev/null ||
	    skip_all "Debian's python3-dkim is not installed"
	MAILCHECK=$GAZETTE_SHARED/tools/mailcheck.py
	[ -f "$MAILCHECK" ] || skip_all "shared tools not found (GAZETTE_SHARED)"
}

# write_config FILE SMTP_PORT: a gazette.conf for the tests.  The test
# servers speak plain text, which gazette allows only when told to.  A
# deferred digest waits for the next send (retry_window = 0), not for a
# minute within the run: the tests of in-run retries set their own.
write_config() {
	cat >"$1" <<CONF
[general]
database = gazette.db
title = Test Weekly
base_url = https://news.example.org

[mail]
from = Test Weekly <digest@news.example.org>
transport = smtp

[smtp]
host = 127.0.0.1
port = $2
tls = none
timeout = 10
retry_window = 0

[digest]
template_dir = $top_srcdir/templates
CONF
}

# write_local_config FILE: write_config's, but needing no server: file://
# feeds, and a Maildir (FILE's folder/maildir) as the transport.  Later
# sections override the keys they repeat.
write_local_config() {
	write_config "$1" 25
	cat >>"$1" <<CONF

[mail]
transport = maildir
maildir = maildir

[collect]
allow_file = yes

[digest]
max_items_per_topic = 3
CONF
}

# db_dump: the test database as SQL, to show a command changed nothing.
db_dump() {
	"$PY" -c 'import sqlite3, sys
print("\n".join(sqlite3.connect(sys.argv[1]).iterdump()))' "$T/gazette.db"
}

# sql QUERY [ARGS...]: the first column of every row, one per line, from
# the test database ($DB, else $GAZETTE_DB, else $T/gazette.db); a change
# is committed.  ARGS bind the query's ? parameters.
sql() {
	"$PY" - "${DB:-${GAZETTE_DB:-$T/gazette.db}}" "$@" <<'PYEOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = list(c.execute(sys.argv[2], sys.argv[3:]))
c.commit()
for row in rows:
    print(row[0])
PYEOF
}

# shown KEY EMAIL: one key of subscriber show --json.
shown() {
	gz subscriber show "$2" --json |
	    "$PY" -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' \
	    "$1"
}

# status_of EMAIL: the subscriber's status, as subscriber show tells it.
status_of() {
	shown status "$1"
}

# subscriber_field COLUMN EMAIL: one column of the subscriber's row in the
# test database (token, soft_bounces, ...).
subscriber_field() {
	"$PY" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT %s FROM subscribers WHERE email = ?" % sys.argv[2],
    (sys.argv[3],)).fetchone()[0])' "$T/gazette.db" "$1" "$2"
}

# token_of EMAIL: the token the subscriber's digests carry.
token_of() {
	subscriber_field token "$1"
}

# gz ARGS...: run gazette with the test config.
gz() {
	"$GAZETTE" --config "$T/gazette.conf" "$@"
}

# topic_feed SLUG NAME FILE: a topic of that name, with the file:// feed
# FILE in it.
topic_feed() {
	gz topic add "$1" --name "$2" >/dev/null 2>&1 &&
	    gz feed add "file://$3" --topic "$1" >/dev/null 2>&1
}

# Messages received so far.
received_count() {
	ls "$SMTP_DIR" 2>/dev/null | grep -c '\.eml$'
}

# Recipients of all received messages, one per line, sorted.
received_rcpts() {
	cat "$SMTP_DIR"/*.env 2>/dev/null | sed -n 's/^RCPT TO://p' | sort
}

# The received message for RCPT (the last one if several).
received_for() {
	grep -l "^RCPT TO:$1\$" "$SMTP_DIR"/*.env 2>/dev/null | tail -n 1 |
	    sed 's/\.env$/.eml/'
}

# decoded_body FILE: the message's text parts, decoded, for grepping.
decoded_body() {
	"$PY" - "$1" <<'PYEOF'
import email, email.policy, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"),
                                     policy=email.policy.default)
print("Subject:", msg["Subject"])
for part in msg.walk():
    if part.get_content_maintype() == "text":
        print(part.get_content())
PYEOF
}

# Debian's headless Chromium, for the tests that look at pages in a browser
# (they skip_all when it is absent).
CHROMIUM=/usr/bin/chromium

# browse ARGS... URL: headless Chromium in a fresh profile, no network
# beyond this machine (every host name fails to resolve), bounded in time.
browse() {
	timeout 60 "$CHROMIUM" --headless --disable-gpu --disable-quic \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$T/profile" \
	    --host-resolver-rules="MAP * ~NOTFOUND" \
	    $([ "$(id -u)" -eq 0 ] && echo --no-sandbox) "$@"
}

# screenshot FILE ARGS... URL: browse with --screenshot=FILE.  Chromium
# on a loaded machine has once come back without writing it: what it
# said then is shown, and it is asked once more.
screenshot() {
	_shot=$1
	shift
	_rc=0
	browse --screenshot="$_shot" "$@" >"$_shot.log" 2>&1 || _rc=$?
	[ -s "$_shot" ] && return 0
	diag "no screenshot at the first try (status $_rc); Chromium said:"
	tail -n 20 "$_shot.log" | sed 's/^/#   /'
	browse --screenshot="$_shot" "$@" >"$_shot.log" 2>&1
}

# The feed fixture builder: rss_feed TITLE ITEM... where ITEM is
# "guid|title|link".
rss_feed() {
	title=$1
	shift
	printf '<?xml version="1.0" encoding="utf-8"?>\n'
	printf '<rss version="2.0"><channel><title>%s</title>\n' "$title"
	printf '<link>https://example.org/</link>\n'
	for it in "$@"; do
		guid=${it%%|*}
		rest=${it#*|}
		ititle=${rest%%|*}
		link=${rest#*|}
		printf '<item><guid isPermaLink="false">%s</guid><title>%s</title>' \
		    "$guid" "$ititle"
		printf '<link>%s</link><pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate>' \
		    "$link"
		printf '<description>&lt;p&gt;Body of %s.&lt;/p&gt;</description></item>\n' \
		    "$ititle"
	done
	printf '</channel></rss>\n'
}

# mkcert NAME SUBJECT SIGNER [EXTENSIONS...]: an EC key $C/NAME.key and a
# certificate $C/NAME.pem, self-signed (SIGNER "self") or by $C/SIGNER.
mkcert() {
	name=$1 subj=$2 signer=$3
	shift 3
	: >"$C/$name.ext"
	for e in "$@"; do
		echo "$e" >>"$C/$name.ext"
	done
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$C/$name.key" -out "$C/$name.csr" -subj "$subj" \
	    2>>"$C/log" || return 1
	if [ "$signer" = self ]; then
		set -- -signkey "$C/$name.key"
	else
		set -- -CA "$C/$signer.pem" -CAkey "$C/$signer.key" \
		    -set_serial "$(date +%s%N | cut -c1-15)"
	fi
	openssl x509 -req -in "$C/$name.csr" -days 2 -sha256 \
	    -extfile "$C/$name.ext" "$@" -out "$C/$name.pem" 2>>"$C/log"
}

# test_pki DNSNAME: in C=$T/pki a throwaway CA (ca), a server certificate
# (srv) it signed for DNSNAME and 127.0.0.1, and an unrelated CA (other).
test_pki() {
	C=$T/pki
	mkdir -p "$C"
	mkcert ca "/CN=gazette test CA" self \
	    "basicConstraints=critical,CA:TRUE" \
	    "keyUsage=critical,keyCertSign,cRLSign" &&
	mkcert srv "/CN=$1" ca "subjectAltName=DNS:$1,IP:127.0.0.1" \
	    "extendedKeyUsage=serverAuth" "basicConstraints=CA:FALSE" &&
	mkcert other "/CN=another CA" self \
	    "basicConstraints=critical,CA:TRUE" \
	    "keyUsage=critical,keyCertSign,cRLSign" ||
	    { cat "$C/log"; return 1; }
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
	"$PY" -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# parts FILE OUT: OUT.html, OUT.txt and OUT.subject, the decoded parts and
# the subject of the message in FILE.
parts() {
	"$PY" - "$1" "$2" <<'PYEOF'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"),
                                   policy=email.policy.default)
open(sys.argv[2] + ".html", "w").write(m.get_body(("html",)).get_content())
open(sys.argv[2] + ".txt", "w").write(m.get_body(("plain",)).get_content())
open(sys.argv[2] + ".subject", "w").write(str(m["Subject"]) + "\n")
PYEOF
}

# stamps DIR: each file under DIR with its mtime, sorted: two runs that
# rewrote nothing give the same lines.
stamps() {
	find "$1" -type f -printf '%P %T@\n' | sort
}

# sent_to ADDR: the newest message for ADDR in the Maildir $T/maildir.
sent_to() {
	grep -l "^To:.*$1" "$T"/maildir/new/* 2>/dev/null | tail -n 1
}
