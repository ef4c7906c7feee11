#!/bin/sh
# DKIM: gazette dkim keygen, then real digests signed on the way out (SMTP
# to aiosmtpd, and the Maildir transport), each verified by python3-dkim
# against the TXT record keygen printed, with no DNS.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

need_dkim_checks

# txt_value ZONEFILE OUT: the record's strings joined, as a resolver hands
# them over ("v=DKIM1; k=rsa; p=...").
txt_value() {
	"$PY" -c 'import re, sys
print("".join(re.findall(r"\"([^\"]*)\"", open(sys.argv[1]).read())))' \
	    "$1" >"$2"
}
verifies() {	# verifies TXT MESSAGE...
	txt=$1
	shift
	"$PY" "$MAILCHECK" --quiet --dkim-txt "$txt" "$@"
}
# dkim_tag MESSAGE TAG: a tag of the first DKIM-Signature, unfolded.
dkim_tag() {
	"$PY" - "$1" "$2" <<'PYEOF'
import email, re, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
sig = re.sub(r"\s+", "", m["DKIM-Signature"])
print(dict(t.split("=", 1) for t in sig.split(";") if "=" in t)[sys.argv[2]])
PYEOF
}

start_smtp || exit 1
write_config "$T/gazette.conf" "$SMTP_PORT"
cat >>"$T/gazette.conf" <<CONF

[collect]
allow_file = yes
CONF
cd "$T" || exit 1

# --- keygen
gz dkim keygen -o "$T/dkim.pem" >"$T/keygen.out" 2>"$T/keygen.err"
ok $? "keygen_writes_a_key_and_exits_zero"
is "$(stat -c %a "$T/dkim.pem")" 600 "keygen_key_file_is_mode_0600"
grep -q '^-----BEGIN PRIVATE KEY-----' "$T/dkim.pem"
ok $? "keygen_key_is_pem"
head -n 1 "$T/keygen.out" | grep -q \
    '^gazette\._domainkey\.news\.example\.org\. IN TXT ( "v=DKIM1; k=rsa; p='
ok $? "keygen_prints_the_txt_record_for_the_from_domain"
cmp -s "$T/keygen.out" "$T/dkim.pem.txt"
ok $? "keygen_writes_the_record_to_keyfile_txt"
"$PY" -c 'import re, sys
s = re.findall(r"\"([^\"]*)\"", open(sys.argv[1]).read())
assert len(s) >= 2 and all(len(x) <= 255 for x in s), [len(x) for x in s]' \
    "$T/dkim.pem.txt"
ok $? "keygen_record_is_split_into_strings_of_at_most_255"
txt_value "$T/dkim.pem.txt" "$T/rsa.txt"
cp "$T/dkim.pem" "$T/dkim.pem.before"
gz dkim keygen -o "$T/dkim.pem" >/dev/null 2>"$T/again.err"
is "$?" 73 "keygen_refuses_to_replace_a_key"
cmp -s "$T/dkim.pem" "$T/dkim.pem.before" && grep -q "exists" "$T/again.err"
ok $? "keygen_leaves_the_existing_key_alone_and_says_why"
gz dkim keygen --bits 512 -o "$T/small.pem" >/dev/null 2>&1
is "$?" 64 "keygen_rejects_a_too_small_rsa_key"

# --- digests to send
mkdir -p "$T/www"
rss_feed "Net News" \
    "net-1|Routing at scale|https://net.example.org/routing" \
    "net-2|QUIC in practice|https://net.example.org/quic" >"$T/www/net.xml"
GAZETTE_NOW=$(date +%s)
export GAZETTE_NOW
gz topic add net --name Networking >/dev/null 2>&1
gz feed add "file://$T/www/net.xml" --topic net >/dev/null 2>&1
gz subscriber add ann@example.org --name Ann --topic net 2>/dev/null
gz subscriber add bo@example.org --topic net 2>/dev/null
gz collect >/dev/null 2>&1
gz compose >/dev/null 2>&1

# --- a missing key stops send before anything goes out
cp "$T/gazette.conf" "$T/plain.conf"
printf '\n[dkim]\nkey_file = missing.pem\n' >>"$T/gazette.conf"
db_dump >"$T/before.sql"
gz send >/dev/null 2>"$T/missing.err"
is "$?" 66 "send_with_a_missing_key_file_exits_66"
grep -q "missing.pem: No such file" "$T/missing.err"
ok $? "send_names_the_missing_key_file_and_the_reason"
db_dump >"$T/after.sql"
cmp -s "$T/before.sql" "$T/after.sql" && [ "$(received_count)" -eq 0 ]
ok $? "send_with_a_missing_key_sends_and_changes_nothing"
gz run >/dev/null 2>&1
is "$?" 66 "run_with_a_missing_key_file_exits_66"
db_dump >"$T/after.sql"
cmp -s "$T/before.sql" "$T/after.sql"
ok $? "run_with_a_missing_key_changes_nothing"

gz subscriber add dee@example.org --topic net --confirm >/dev/null \
    2>"$T/confirm-missing.err"
is "$?" 66 "subscriber_add_confirm_with_a_missing_key_file_exits_66"
db_dump >"$T/after.sql"
cmp -s "$T/before.sql" "$T/after.sql" && [ "$(received_count)" -eq 0 ] &&
    grep -q "missing.pem: No such file" "$T/confirm-missing.err"
ok $? "subscriber_add_confirm_with_a_missing_key_adds_and_sends_nothing"

# A key file that cannot be read (a folder where the file should be, which
# root cannot read either, while a mode of 000 would not stop root).
mkdir "$T/unreadable.pem"
cp "$T/plain.conf" "$T/gazette.conf"
printf '\n[dkim]\nkey_file = unreadable.pem\n' >>"$T/gazette.conf"
gz send >/dev/null 2>"$T/unreadable.err"
is "$?" 66 "send_with_an_unreadable_key_file_exits_66"
db_dump >"$T/after.sql"
cmp -s "$T/before.sql" "$T/after.sql" && [ "$(received_count)" -eq 0 ] &&
    grep -q "unreadable.pem: Is a directory" "$T/unreadable.err"
ok $? "send_with_an_unreadable_key_names_it_and_changes_nothing"

echo "not a key" >"$T/garbage.pem"
cp "$T/plain.conf" "$T/gazette.conf"
printf '\n[dkim]\nkey_file = garbage.pem\n' >>"$T/gazette.conf"
gz send >/dev/null 2>"$T/garbage.err"
is "$?" 78 "send_with_a_key_that_does_not_parse_exits_78"
grep -q "garbage.pem: not an unencrypted PEM private key" "$T/garbage.err"
ok $? "send_names_the_bad_key_file"

cp "$T/plain.conf" "$T/gazette.conf"
printf '\n[dkim]\nkey_file = dkim.pem\ndomain = other.example\n' \
    >>"$T/gazette.conf"
gz send >/dev/null 2>"$T/domain.err"
is "$?" 78 "send_refuses_a_domain_not_aligned_with_from"
grep -q "other.example' is neither the From domain" "$T/domain.err"
ok $? "domain_mismatch_message_names_both_domains"
[ "$(received_count)" -eq 0 ]
ok $? "refused_sends_delivered_nothing"

# --- signed over SMTP, by a parent of the From domain
cp "$T/plain.conf" "$T/gazette.conf"
printf '\n[dkim]\nkey_file = dkim.pem\ndomain = ample.org\n' >>"$T/gazette.conf"
gz send >/dev/null 2>&1
is "$?" 78 "a_domain_that_only_ends_the_same_is_not_a_parent"
cp "$T/plain.conf" "$T/gazette.conf"
printf '\n[dkim]\nkey_file = dkim.pem\ndomain = example.org\n' \
    >>"$T/gazette.conf"
gz send >"$T/send.out" 2>&1
ok $? "send_with_dkim_for_a_parent_domain_exits_zero"
is "$(received_count)" 2 "send_with_dkim_delivers_each_digest"
check "every_smtp_message_verifies_and_passes_mailcheck" \
    verifies "$T/rsa.txt" "$SMTP_DIR"/*.eml
msg=$(received_for ann@example.org)
is "$(grep -c '^DKIM-Signature:' "$msg")" 1 "one_signature_per_message"
is "$(head -n 1 "$msg" | cut -d: -f1)" DKIM-Signature \
    "signature_is_the_first_header"
tags=$(for t in a c d s; do dkim_tag "$msg" $t; done | tr '\n' /)
is "$tags" \
    "rsa-sha256/relaxed/relaxed/example.org/gazette/" \
    "signature_is_rsa_relaxed_for_the_configured_domain"
h=$(dkim_tag "$msg" h | tr 'A-Z' 'a-z')
signed() {	# signed NAME: how often h= lists NAME
	echo "$h" | tr ':' '\n' | grep -cx "$1"
}
is "$(signed from)/$(signed subject)" "2/2" "from_and_subject_are_over_signed"
for need in to date message-id mime-version content-type list-id \
    list-unsubscribe list-unsubscribe-post; do
	[ "$(signed "$need")" -eq 1 ] || echo "missing $need"
done >"$T/h.missing"
[ ! -s "$T/h.missing" ]
ok $? "list_and_mime_headers_are_signed"
sed 's/^/#   /' "$T/h.missing"

# --- the double opt-in confirmation mail is signed like the digests
gz subscriber add cy@example.org --topic net --confirm 2>"$T/confirm.err"
ok $? "subscriber_add_confirm_with_dkim_exits_zero"
cmail=$(received_for cy@example.org)
# Not a list mailing (no List-Unsubscribe): --no-list.
check "the_confirmation_mail_verifies_and_passes_mailcheck" \
    "$PY" "$MAILCHECK" --quiet --no-list --dkim-txt "$T/rsa.txt" "$cmail"
is "$(dkim_tag "$cmail" d)/$(grep -c '^DKIM-Signature:' "$cmail")" \
    "example.org/1" "the_confirmation_mail_has_one_signature_for_the_domain"

# --- tampering breaks it
sed 's/Routing at scale/Routing at scalf/' "$msg" >"$T/body.eml"
! cmp -s "$msg" "$T/body.eml" && ! verifies "$T/rsa.txt" "$T/body.eml" \
    >/dev/null 2>&1
ok $? "a_changed_body_byte_fails_verification"
sed 's/^Subject: /Subject: Re: /' "$msg" >"$T/subject.eml"
! cmp -s "$msg" "$T/subject.eml" && ! verifies "$T/rsa.txt" \
    "$T/subject.eml" >/dev/null 2>&1
ok $? "a_changed_subject_fails_verification"
"$PY" -c 'import sys
raw = open(sys.argv[1], "rb").read()
extra = b"\r\nSubject: extra\r\n\r\n"
open(sys.argv[2], "wb").write(raw.replace(b"\r\n\r\n", extra, 1))' \
    "$msg" "$T/added.eml"
! verifies "$T/rsa.txt" "$T/added.eml" >/dev/null 2>&1
ok $? "an_added_second_subject_fails_verification"

# --- the Maildir transport signs too (a week later, new digests)
GAZETTE_NOW=$((GAZETTE_NOW + 7 * 86400))
rss_feed "Net News" \
    "net-3|BGP again|https://net.example.org/bgp" >"$T/www/net.xml"
cp "$T/plain.conf" "$T/gazette.conf"
printf '\n[dkim]\nkey_file = dkim.pem\n' >>"$T/gazette.conf"
printf '\n[mail]\ntransport = maildir\nmaildir = maildir\n' \
    >>"$T/gazette.conf"
gz run >/dev/null 2>&1
ok $? "maildir_run_with_dkim_exits_zero"
is "$(ls "$T/maildir/new" 2>/dev/null | wc -l)" 2 \
    "maildir_run_delivers_each_digest"
check "every_maildir_message_verifies" \
    verifies "$T/rsa.txt" "$T"/maildir/new/*
one=$(ls "$T"/maildir/new/* 2>/dev/null | head -n 1)
is "$(dkim_tag "$one" d)" news.example.org \
    "domain_defaults_to_the_from_domain"

# --- ed25519-sha256
# libopendkim 2.11 leaks each Ed25519 key it loads; under ASan, that is
# reported against the library, not gazette.
LSAN_OPTIONS=suppressions=$top_srcdir/tests/lsan-opendkim.supp
LSAN_OPTIONS=$LSAN_OPTIONS:fast_unwind_on_malloc=0
export LSAN_OPTIONS
gz dkim keygen -a ed25519 -s ed -o "$T/ed.pem" >/dev/null 2>&1
ok $? "keygen_makes_an_ed25519_key"
grep -q 'k=ed25519; p=' "$T/ed.pem.txt"
ok $? "ed25519_record_says_k_ed25519"
txt_value "$T/ed.pem.txt" "$T/ed.txt"
GAZETTE_NOW=$((GAZETTE_NOW + 7 * 86400))
rss_feed "Net News" \
    "net-4|IPv6 at last|https://net.example.org/v6" >"$T/www/net.xml"
printf '\n[dkim]\nkey_file = ed.pem\nselector = ed\n%s\n' \
    'algorithm = ed25519-sha256' \
    >>"$T/gazette.conf"
rm -rf "$T/maildir"
gz run >/dev/null 2>"$T/ed.err"
ok $? "ed25519_run_exits_zero"
one=$(ls "$T"/maildir/new/* 2>/dev/null | head -n 1)
is "$(dkim_tag "$one" a)" ed25519-sha256 "ed25519_signature_says_ed25519_sha256"
check "every_ed25519_message_verifies" \
    verifies "$T/ed.txt" "$T"/maildir/new/*
printf '\n[dkim]\nalgorithm = rsa-sha256\n' >>"$T/gazette.conf"
gz send >/dev/null 2>"$T/mismatch.err"
is "$?" 78 "an_ed25519_key_with_algorithm_rsa_is_refused"
grep -q "ed.pem: an Ed25519 key, but \[dkim\] algorithm is rsa-sha256" \
    "$T/mismatch.err"
ok $? "the_key_and_algorithm_mismatch_is_explained"

done_testing
