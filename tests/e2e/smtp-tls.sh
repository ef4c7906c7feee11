#!/bin/sh
# Delivery over TLS and with AUTH, against Debian's aiosmtpd on 127.0.0.1
# with a throwaway CA made here.  The server's certificate must chain to
# the configured ca_file (or the system store) and carry the host's name;
# otherwise nothing is sent, not even AUTH, and the digests stay queued.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

have_aiosmtpd || skip_all "python3-aiosmtpd is not installed"
command -v openssl >/dev/null 2>&1 || skip_all "openssl is not installed"

# ------------------------------------------------ a CA and a server cert
C=$T/pki
mkdir -p "$C"
mkcert() {	# mkcert NAME SUBJECT SIGNER [EXTENSIONS...]
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
mkcert ca "/CN=gazette test CA" self "basicConstraints=critical,CA:TRUE" \
    "keyUsage=critical,keyCertSign,cRLSign" &&
mkcert srv "/CN=mail.test" ca "subjectAltName=DNS:mail.test,IP:127.0.0.1" \
    "extendedKeyUsage=serverAuth" "basicConstraints=CA:FALSE" &&
mkcert other "/CN=another CA" self "basicConstraints=critical,CA:TRUE" \
    "keyUsage=critical,keyCertSign,cRLSign" ||
    { cat "$C/log"; exit 1; }

# start_server NAME [smtpd.py options]: sets PORT and RECV (its folder).
start_server() {
	name=$1
	shift
	RECV=$T/$name.recv
	"$PY" "$top_srcdir/tests/servers/smtpd.py" "$RECV" "$T/$name.port" \
	    "$@" 2>"$T/$name.srv.err" &
	server_pids="$server_pids $!"
	wait_file "$T/$name.port" || { cat "$T/$name.srv.err"; return 1; }
	PORT=$(cat "$T/$name.port")
}

rss_feed "News" "n-1|First story|https://news.example.org/1" >"$T/feed.xml"

# setup NAME PORT [KEY=VALUE...]: a fresh database with one queued digest,
# its config pointing at PORT with these [smtp] keys.
setup() {
	D=$T/$1.case
	port=$2
	shift 2
	mkdir -p "$D"
	write_config "$D/gazette.conf" "$port"
	{
		printf '[collect]\nallow_file = yes\n[smtp]\n'
		for kv in "$@"; do
			printf '%s\n' "$kv" | sed 's/=/ = /'
		done
	} >>"$D/gazette.conf"
	g topic add news >/dev/null 2>&1
	g feed add "file://$T/feed.xml" --topic news >/dev/null 2>&1
	g subscriber add zoe@example.org --topic news >/dev/null 2>&1
	g collect >/dev/null 2>&1
	g compose >/dev/null 2>&1
}

g() {
	"$GAZETTE" --config "$D/gazette.conf" "$@"
}

state() {
	g outbox show 1 2>/dev/null | sed -n 's/^state: *//p'
}

count() {	# messages the server in folder $1 accepted
	ls "$1" 2>/dev/null | grep -c '\.eml$'
}

# send_case NAME: send, keeping exit status, stdout and stderr.
send_case() {
	g send >"$T/$1.out" 2>"$T/$1.err"
	RC=$?
}

# --------------------------------------------------------- STARTTLS
start_server stls --starttls "$C/srv.pem" "$C/srv.key" || exit 1
STLS=$PORT
STLS_RECV=$RECV

setup verified "$STLS" tls=starttls "ca_file=$C/ca.pem"
send_case verified
is "$RC:$(state):$(count "$STLS_RECV")" "0:sent:1" \
    "starttls_with_the_ca_file_delivers"

setup untrusted "$STLS" tls=starttls
send_case untrusted
is "$RC:$(state):$(count "$STLS_RECV")" "75:queued:1" \
    "self_signed_ca_not_in_the_system_store_is_refused_and_stays_queued"
grep -q "TLS certificate of 127.0.0.1 not trusted: .*issuer" \
    "$T/untrusted.err"
ok $? "refusal_names_the_host_and_the_reason"
diag "$(grep "not trusted" "$T/untrusted.err")"

setup badname "$STLS" tls=starttls "ca_file=$C/ca.pem" tls_name=other.test
send_case badname
is "$RC:$(state):$(count "$STLS_RECV")" "75:queued:1" \
    "certificate_for_another_name_is_refused"
grep -q "TLS certificate of other.test not trusted: .*name" \
    "$T/badname.err"
ok $? "wrong_name_refusal_says_the_name_does_not_match"
diag "$(grep "not trusted" "$T/badname.err")"

setup goodname "$STLS" tls=starttls "ca_file=$C/ca.pem" tls_name=mail.test
send_case goodname
is "$RC:$(state):$(count "$STLS_RECV")" "0:sent:2" \
    "tls_name_matching_the_certificate_delivers"

setup insecure "$STLS" tls=starttls tls_verify=no
send_case insecure
is "$RC:$(state):$(count "$STLS_RECV")" "0:sent:3" \
    "tls_verify_no_delivers_without_checking"

setup wrongca "$STLS" tls=starttls "ca_file=$C/other.pem"
send_case wrongca
is "$RC:$(state)" "75:queued" "a_ca_file_that_did_not_sign_the_server_is_refused"

# ------------------------------------------------------- implicit TLS
start_server itls --tls "$C/srv.pem" "$C/srv.key" || exit 1
setup implicit "$PORT" tls=tls "ca_file=$C/ca.pem"
send_case implicit
is "$RC:$(state):$(count "$RECV")" "0:sent:1" "implicit_tls_with_the_ca_file_delivers"
setup implicit_untrusted "$PORT" tls=tls
send_case implicit_untrusted
is "$RC:$(state):$(count "$RECV")" "75:queued:1" \
    "implicit_tls_with_an_untrusted_certificate_is_refused"

# ------------------------------------------ STARTTLS required, not offered
start_server plain || exit 1
setup nostarttls "$PORT" tls=starttls "ca_file=$C/ca.pem"
send_case nostarttls
is "$RC:$(state):$(count "$RECV")" "75:queued:0" \
    "starttls_required_but_not_offered_is_refused_and_stays_queued"
grep -q "STARTTLS: 127.0.0.1 does not offer it" "$T/nostarttls.err"
ok $? "missing_starttls_is_named"

# --------------------------------------------------------------- AUTH
SECRET='s3cr3t-Pa55'
printf '%s\n' "$SECRET" >"$T/password"
printf 'wrong-%s\n' "$SECRET" >"$T/badpassword"
for mech in PLAIN LOGIN; do
	other=LOGIN
	[ "$mech" = LOGIN ] && other=PLAIN
	start_server "auth$mech" --starttls "$C/srv.pem" "$C/srv.key" \
	    --auth "digest:$SECRET" --exclude "$other" || exit 1
	setup "auth$mech" "$PORT" tls=starttls "ca_file=$C/ca.pem" \
	    user=digest "password_file=$T/password"
	send_case "auth$mech"
	is "$RC:$(state):$(count "$RECV"):$(cat "$RECV/auth.log")" \
	    "0:sent:1:$mech ok" "auth_${mech}_delivers"
done

setup badpass "$PORT" tls=starttls "ca_file=$C/ca.pem" user=digest \
    "password_file=$T/badpassword"
send_case badpass
is "$RC:$(state):$(count "$RECV")" "75:queued:1" \
    "wrong_password_sends_nothing_and_stays_queued"
grep -q "AUTH: 535" "$T/badpass.err"
ok $? "wrong_password_is_reported_as_an_auth_refusal"
diag "$(grep AUTH "$T/badpass.err")"

setup untrusted_auth "$PORT" tls=starttls user=digest \
    "password_file=$T/password"
send_case untrusted_auth
is "$(grep -c . "$RECV/auth.log")" 2 \
    "no_auth_is_attempted_with_an_untrusted_server"

! cat "$T"/*.out "$T"/*.err "$T"/*.case/gazette.db* 2>/dev/null |
    grep -a -q -e "$SECRET"
ok $? "the_password_never_appears_in_output_or_the_database"

done_testing
