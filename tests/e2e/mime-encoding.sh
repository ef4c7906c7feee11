#!/bin/sh
# Transfer encodings on the wire: a digest of a Japanese feed goes out over
# SMTP (a real aiosmtpd) with its text part in base64, a French one in
# quoted-printable; both pass mailcheck, decode to the feeds' words, and
# keep a DKIM signature that verifies (the body hash over the base64).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

need_dkim_checks

# part_field MESSAGE TYPE FIELD: a header field of the first TYPE part.
part_field() {
	"$PY" - "$@" <<'PYEOF'
import email, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
print(next((p.get(sys.argv[3], "") for p in m.walk()
            if p.get_content_type() == sys.argv[2]), ""))
PYEOF
}
# plain_text MESSAGE: the text/plain part, decoded from its encoding.
plain_text() {
	"$PY" - "$1" <<'PYEOF'
import email, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
p = next(p for p in m.walk() if p.get_content_type() == "text/plain")
sys.stdout.write(p.get_payload(decode=True).decode("utf-8"))
PYEOF
}

start_smtp || exit 1
write_config "$T/gazette.conf" "$SMTP_PORT"
cat >>"$T/gazette.conf" <<CONF

[collect]
allow_file = yes

[dkim]
key_file = dkim.pem
CONF
cd "$T" || exit 1
gz dkim keygen -o "$T/dkim.pem" >/dev/null 2>&1
"$PY" -c 'import re, sys
print("".join(re.findall(r"\"([^\"]*)\"", open(sys.argv[1]).read())))' \
    "$T/dkim.pem.txt" >"$T/dkim.txt"

mkdir -p "$T/www"
rss_feed "日本のニュース" \
    "jp-1|東京都、来年度予算案を発表　子育て支援と防災対策に重点|https://example.jp/n/1" \
    "jp-2|新幹線の新型車両が営業運転を開始　座席の幅が広がる|https://example.jp/n/2" \
    "jp-3|北海道で今季初の積雪を観測　平年より五日遅い初雪|https://example.jp/n/3" \
    >"$T/www/jp.xml"
rss_feed "Actualités" \
    "fr-1|Élections régionales : le débat télévisé a réuni trois candidats|https://example.fr/1" \
    "fr-2|La rentrée littéraire, entre récits intimes et fresques|https://example.fr/2" \
    >"$T/www/fr.xml"
topic_feed jp "日本" "$T/www/jp.xml"
topic_feed fr "France" "$T/www/fr.xml"
gz subscriber add ann@example.org --topic jp 2>/dev/null
gz subscriber add bo@example.org --topic fr 2>/dev/null

gz run >"$T/run.out" 2>&1
ok $? "run_with_a_japanese_feed_exits_zero"
is "$(received_count)" 2 "each_subscriber_gets_a_digest"
ann=$(received_for ann@example.org)
bo=$(received_for bo@example.org)

is "$(part_field "$ann" text/plain Content-Transfer-Encoding)" base64 \
    "japanese_digest_text_part_is_base64"
is "$(part_field "$bo" text/plain Content-Transfer-Encoding)" \
    quoted-printable "french_digest_text_part_stays_quoted_printable"
is "$(part_field "$ann" text/plain Content-Type)" 'text/plain; charset="utf-8"' \
    "base64_text_part_says_utf8"
plain_text "$ann" >"$T/ann.txt"
grep -q "東京都、来年度予算案を発表" "$T/ann.txt" &&
    grep -q "北海道で今季初の積雪を観測" "$T/ann.txt" &&
    grep -q "https://example.jp/n/2" "$T/ann.txt"
ok $? "base64_text_part_decodes_to_the_feed_titles_and_links"
"$PY" - "$ann" <<'PYEOF'
import base64, re, sys
raw = open(sys.argv[1], "rb").read()
body = raw.split(b"Content-Transfer-Encoding: base64\r\n\r\n", 1)[1]
body = body.split(b"\r\n--", 1)[0]
lines = body.split(b"\r\n")
assert all(len(l) == 76 for l in lines[:-1]), [len(l) for l in lines]
assert 0 < len(lines[-1]) <= 76 and b"\n" not in body.replace(b"\r\n", b"")
assert all(re.fullmatch(rb"[A-Za-z0-9+/=]+", l) for l in lines)
# RFC 2045 6.8: base64 carries the text's canonical form, CRLF line ends.
text = base64.b64decode(b"".join(lines))
assert b"\n" in text and text.count(b"\n") == text.count(b"\r\n")
assert text.count(b"\r") == text.count(b"\r\n")
PYEOF
ok $? "base64_lines_are_76_and_carry_crlf_line_ends"
check "both_digests_pass_mailcheck_and_verify_dkim" \
    "$PY" "$MAILCHECK" --dkim-txt "$T/dkim.txt" "$ann" "$bo"

# A changed base64 character changes the body DKIM hashed.
"$PY" - "$ann" "$T/tampered.eml" <<'PYEOF'
import sys
raw = open(sys.argv[1], "rb").read()
at = raw.index(b"Content-Transfer-Encoding: base64\r\n\r\n") + 40
c = raw[at:at + 1]
open(sys.argv[2], "wb").write(raw[:at] + (b"B" if c == b"A" else b"A") +
                              raw[at + 1:])
PYEOF
! "$PY" "$MAILCHECK" --quiet --dkim-txt "$T/dkim.txt" "$T/tampered.eml" \
    >/dev/null 2>&1
ok $? "a_changed_base64_character_fails_dkim"

done_testing
