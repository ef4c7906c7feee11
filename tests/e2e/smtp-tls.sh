#!/bin/sh
# Delivery over TLS and with AUTH, against Debian's aiosmtpd on 127.0.0.1
# with a throwaway CA made here.  The server's certificate must chain to
# the configured ca_file (or the system store) and carry the host's name;
# otherwise nothing is sent, not even AUTH, and the digests stay queued.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/e2e/smtp-lib.sh"

have_aiosmtpd || skip_all "python3-aiosmtpd is not installed"
command -v openssl >/dev/null 2>&1 || skip_all "openssl is not installed"

# ------------------------------------------------ a CA and a server cert
test_pki mail.test || exit 1

rss_feed "News" "n-1|First story|https://news.example.org/1" >"$T/feed.xml"
SECRET='s3cr3t-Pa55'
printf '%s\n' "$SECRET" >"$T/password"
printf 'wrong-%s\n' "$SECRET" >"$T/badpassword"

state() {
	g outbox show 1 2>/dev/null | sed -n 's/^state: *//p'
}

count() {	# messages the server in folder $1 accepted
	ls "$1" 2>/dev/null | grep -c '\.eml$'
}

# send_case NAME [OPTION...]: send, keeping exit status, stdout and stderr.
send_case() {
	_case=$1
	shift
	g "$@" send >"$T/$_case.out" 2>"$T/$_case.err"
	RC=$?
}

starttls_of_last() {	# how the newest message in folder $1 came
	sed -n 's/^STARTTLS://p' "$(ls "$1"/*.env | tail -n 1)"
}

# --------------------------------------------------------- STARTTLS
start_smtpd stls --starttls "$C/srv.pem" "$C/srv.key" || exit 1
STLS=$PORT
STLS_RECV=$RECV

case_setup verified "$STLS" tls=starttls "ca_file=$C/ca.pem"
send_case verified
is "$RC:$(state):$(count "$STLS_RECV"):$(starttls_of_last "$STLS_RECV")" \
    "0:sent:1:yes" "starttls_with_the_ca_file_delivers"

case_setup untrusted "$STLS" tls=starttls
send_case untrusted
is "$RC:$(state):$(count "$STLS_RECV")" "75:queued:1" \
    "self_signed_ca_not_in_the_system_store_is_refused_and_stays_queued"
grep -q "TLS certificate of 127.0.0.1 not trusted: .*issuer" \
    "$T/untrusted.err"
ok $? "refusal_names_the_host_and_the_reason"
diag "$(grep "not trusted" "$T/untrusted.err")"

case_setup badname "$STLS" tls=starttls "ca_file=$C/ca.pem" \
    tls_name=other.test
send_case badname
is "$RC:$(state):$(count "$STLS_RECV")" "75:queued:1" \
    "certificate_for_another_name_is_refused"
grep -q "TLS certificate of other.test not trusted: .*name" \
    "$T/badname.err"
ok $? "wrong_name_refusal_says_the_name_does_not_match"
diag "$(grep "not trusted" "$T/badname.err")"

case_setup goodname "$STLS" tls=starttls "ca_file=$C/ca.pem" \
    tls_name=mail.test
send_case goodname
is "$RC:$(state):$(count "$STLS_RECV")" "0:sent:2" \
    "tls_name_matching_the_certificate_delivers"

case_setup insecure "$STLS" tls=starttls tls_verify=no
send_case insecure
is "$RC:$(state):$(count "$STLS_RECV")" "0:sent:3" \
    "tls_verify_no_delivers_without_checking"

case_setup wrongca "$STLS" tls=starttls "ca_file=$C/other.pem"
send_case wrongca
is "$RC:$(state)" "75:queued" "a_ca_file_that_did_not_sign_the_server_is_refused"

# ------------------------------------------------------- implicit TLS
start_smtpd itls --tls "$C/srv.pem" "$C/srv.key" || exit 1
case_setup implicit "$PORT" tls=tls "ca_file=$C/ca.pem"
send_case implicit
is "$RC:$(state):$(count "$RECV")" "0:sent:1" "implicit_tls_with_the_ca_file_delivers"
case_setup implicit_untrusted "$PORT" tls=tls
send_case implicit_untrusted
is "$RC:$(state):$(count "$RECV")" "75:queued:1" \
    "implicit_tls_with_an_untrusted_certificate_is_refused"

# ------------------------------------------ STARTTLS required, not offered
start_smtpd plain || exit 1
case_setup nostarttls "$PORT" tls=starttls "ca_file=$C/ca.pem"
send_case nostarttls
is "$RC:$(state):$(count "$RECV")" "75:queued:0" \
    "starttls_required_but_not_offered_is_refused_and_stays_queued"
grep -q "STARTTLS: 127.0.0.1 does not offer it" "$T/nostarttls.err"
ok $? "missing_starttls_is_named"

# No tls line at all: STARTTLS is required, as with tls = starttls.
case_setup default "$PORT" "ca_file=$C/ca.pem"
sed -i '/^tls = /d' "$D/gazette.conf"
send_case default
is "$RC:$(state):$(count "$RECV")" "75:queued:0" \
    "default_config_to_a_server_without_starttls_sends_nothing"
grep -q "STARTTLS: 127.0.0.1 does not offer it, and tls = starttls never \
sends in plain text (tls = opportunistic or none would)" "$T/default.err"
ok $? "default_refusal_says_why_and_what_would_allow_plain_text"
diag "$(grep STARTTLS "$T/default.err")"

# ------------------------------------------------------ opportunistic
case_setup opp_plain "$PORT" tls=opportunistic
send_case opp_plain -q
is "$RC:$(state):$(count "$RECV"):$(starttls_of_last "$RECV")" \
    "0:sent:1:no" "opportunistic_to_a_server_without_starttls_delivers"
grep -q "^gazette: warning: 127.0.0.1 does not offer STARTTLS; sending in plain \
text (tls = opportunistic)" "$T/opp_plain.err"
ok $? "opportunistic_plain_text_is_warned_about_even_with_quiet"

# Someone on the path could strip STARTTLS from the EHLO reply: the
# password still never goes in plain text.
case_setup opp_auth "$PORT" tls=opportunistic user=digest \
    "password_file=$T/password"
send_case opp_auth
is "$RC:$(state):$(count "$RECV")" "75:queued:1" \
    "opportunistic_with_auth_and_no_starttls_sends_nothing"
grep -q "STARTTLS: 127.0.0.1 does not offer it, and the password is never \
sent in plain text" "$T/opp_auth.err"
ok $? "opportunistic_with_auth_says_why"

case_setup opp_tls "$STLS" tls=opportunistic "ca_file=$C/ca.pem"
send_case opp_tls
is "$RC:$(state):$(count "$STLS_RECV"):$(starttls_of_last "$STLS_RECV")" \
    "0:sent:4:yes" "opportunistic_to_a_starttls_server_uses_tls"
! grep -q "plain text" "$T/opp_tls.err"
ok $? "opportunistic_over_tls_gives_no_warning"

case_setup opp_untrusted "$STLS" tls=opportunistic
send_case opp_untrusted
is "$RC:$(state):$(count "$STLS_RECV")" "75:queued:4" \
    "opportunistic_checks_the_certificate_and_never_falls_back"
grep -q "TLS certificate of 127.0.0.1 not trusted" "$T/opp_untrusted.err"
ok $? "opportunistic_untrusted_refusal_is_named"

# --------------------------------------------- the port follows the mode
for m in tls:465 starttls:587 opportunistic:587 none:25; do
	case_setup "dry_${m%%:*}" "$PORT" "tls=${m%%:*}"
	sed -i '/^port = /d' "$D/gazette.conf"
	g send --dry-run >"$T/dry.out" 2>"$T/dry.err"
	is "$?:$(cut -f4 "$T/dry.out")" \
	    "0:smtp 127.0.0.1:${m#*:} (tls ${m%%:*})" \
	    "dry_run_shows_port_${m#*:}_for_tls_${m%%:*}"
done
grep -q "would go to smtp 127.0.0.1:25 (tls none)" "$T/dry.err"
ok $? "dry_run_summary_names_the_port"

# --------------------------------------------------------------- AUTH
for mech in PLAIN LOGIN; do
	other=LOGIN
	[ "$mech" = LOGIN ] && other=PLAIN
	start_smtpd "auth$mech" --starttls "$C/srv.pem" "$C/srv.key" \
	    --auth "digest:$SECRET" --exclude "$other" || exit 1
	case_setup "auth$mech" "$PORT" tls=starttls "ca_file=$C/ca.pem" \
	    user=digest "password_file=$T/password"
	send_case "auth$mech" -v
	is "$RC:$(state):$(count "$RECV"):$(cat "$RECV/auth.log")" \
	    "0:sent:1:$mech ok" "auth_${mech}_delivers"
done
AUTH_PORT=$PORT AUTH_RECV=$RECV

# The password from a command (a keyring, a vault client) instead of a file;
# a command that fails is a temporary failure: the digest waits.
start_smtpd authcmd --starttls "$C/srv.pem" "$C/srv.key" \
    --auth "digest:$SECRET" || exit 1
case_setup authcmd "$PORT" tls=starttls "ca_file=$C/ca.pem" user=digest \
    "password_command=cat $T/password"
send_case authcmd
is "$RC:$(state):$(count "$RECV")" "0:sent:1" "password_command_delivers"
case_setup authcmdfail "$PORT" tls=starttls "ca_file=$C/ca.pem" user=digest \
    "password_command=echo $SECRET; exit 3"
send_case authcmdfail -v
is "$RC:$(state):$(count "$RECV")" "75:queued:1" \
    "failing_password_command_sends_nothing_and_stays_queued"
grep -q "\[smtp\] password_command failed (exit status 3)" \
    "$T/authcmdfail.err"
ok $? "failing_password_command_is_named_with_its_status"
PORT=$AUTH_PORT RECV=$AUTH_RECV

case_setup badpass "$PORT" tls=starttls "ca_file=$C/ca.pem" user=digest \
    "password_file=$T/badpassword"
send_case badpass -v
is "$RC:$(state):$(count "$RECV")" "75:queued:1" \
    "wrong_password_sends_nothing_and_stays_queued"
grep -q "AUTH: 535" "$T/badpass.err"
ok $? "wrong_password_is_reported_as_an_auth_refusal"
diag "$(grep AUTH "$T/badpass.err")"

case_setup untrusted_auth "$PORT" tls=starttls user=digest \
    "password_file=$T/password"
send_case untrusted_auth
is "$(grep -c . "$RECV/auth.log")" 2 \
    "no_auth_is_attempted_with_an_untrusted_server"

# The AUTH cases above ran with -v: verbose output holds no password
# either (nor its base64 in an AUTH PLAIN or LOGIN exchange).
grep -q "digest 1: [0-9]* bytes" "$T/authPLAIN.err"
ok $? "verbose_cases_did_print_their_detail"
b64() { printf '%s' "$1" | base64 | tr -d '\n'; }
! cat "$T"/*.out "$T"/*.err "$T"/*.case/gazette.db* 2>/dev/null |
    grep -a -q -e "$SECRET" -e "$(b64 "$SECRET")" \
    -e "$(printf '\0digest\0%s' "$SECRET" | base64 | tr -d '\n')"
ok $? "the_password_never_appears_in_output_or_the_database"

done_testing
