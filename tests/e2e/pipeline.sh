#!/bin/sh
# The whole pipeline against real servers: feeds over HTTP on 127.0.0.1,
# digests over SMTP to a real aiosmtpd that saves what it receives.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

have_aiosmtpd || skip_all "Debian's python3-aiosmtpd is not installed"
MAILCHECK=$GAZETTE_SHARED/tools/mailcheck.py

mkdir -p "$T/www"
rss_feed "Net News" \
    "net-1|Routing at scale|https://net.example.org/routing" \
    "net-2|QUIC in practice|https://net.example.org/quic" >"$T/www/net.xml"
rss_feed "Sec News" \
    "sec-1|Patch Tuesday|https://sec.example.org/patch" >"$T/www/sec.xml"
start_http "$T/www" || exit 1
start_smtp || exit 1
write_config "$T/gazette.conf" "$SMTP_PORT"
DB=$T/gazette.db
base=http://127.0.0.1:$HTTP_PORT
# run composes only for subscribers who are due: each run is a week later.
GAZETTE_NOW=$(date +%s)
export GAZETTE_NOW
next_week() {
	GAZETTE_NOW=$((GAZETTE_NOW + 7 * 86400))
}

gz topic add networking --name Networking >/dev/null 2>&1
gz topic add security --name Security >/dev/null 2>&1
gz feed add "$base/net.xml" --topic networking >/dev/null 2>&1
gz feed add "$base/sec.xml" --topic security >/dev/null 2>&1
gz subscriber add alice@example.org --name Alice --topic networking 2>/dev/null
gz subscriber add bob@example.org --topic security 2>/dev/null
gz subscriber add carol@example.org --name 'Zoë Ünïcode' \
    --topic networking --topic security 2>/dev/null

gz run >"$T/run1.out" 2>&1
ok $? "run_delivers_first_digests_and_exits_zero"
is "$(received_count)" 3 "run_sends_one_digest_per_subscriber"
is "$(received_rcpts | tr '\n' ' ')" \
    "alice@example.org bob@example.org carol@example.org " \
    "each_subscriber_is_a_recipient_exactly_once"

alice=$(received_for alice@example.org)
decoded_body "$alice" >"$T/alice.txt"
grep -q "Routing at scale" "$T/alice.txt" && grep -q "QUIC in practice" "$T/alice.txt"
ok $? "digest_holds_every_item_of_the_subscribers_topic"
! grep -q "Patch Tuesday" "$T/alice.txt"
ok $? "digest_leaves_out_topics_not_subscribed"
grep -q "https://net.example.org/quic" "$T/alice.txt"
ok $? "digest_links_to_the_items"

bob=$(received_for bob@example.org)
decoded_body "$bob" >"$T/bob.txt"
grep -q "Patch Tuesday" "$T/bob.txt" && ! grep -q "Routing at scale" "$T/bob.txt"
ok $? "second_subscriber_gets_only_their_topic"

carol=$(received_for carol@example.org)
decoded_body "$carol" >"$T/carol.txt"
grep -q "Patch Tuesday" "$T/carol.txt" && grep -q "QUIC in practice" "$T/carol.txt"
ok $? "subscriber_of_two_topics_gets_both"
grep -q '^To: =?[Uu][Tt][Ff]-8?' "$carol"
ok $? "non_ascii_name_is_an_encoded_word_in_to"
"$PY" - "$carol" <<'PYEOF'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
assert m["To"].addresses[0].display_name == "Zoë Ünïcode", m["To"]
assert m["From"].addresses[0].display_name == "Test Weekly", m["From"]
assert m.get_content_type() == "multipart/alternative"
types = [p.get_content_type() for p in m.iter_parts()]
assert types == ["text/plain", "text/html"], types
assert "Test Weekly" in m["Subject"], m["Subject"]
PYEOF
ok $? "message_is_multipart_alternative_with_decoded_names"

if [ -f "$MAILCHECK" ]; then
	check "every_message_passes_mailcheck_basic" \
	    "$PY" "$MAILCHECK" --basic "$SMTP_DIR"/*.eml
else
	diag "mailcheck.py not found at $MAILCHECK: check skipped"
fi

# What arrived over SMTP (quoted-printable, decoded here): every line of
# every text part within 72 columns, but for a URL; every entry with its
# feed's name and date.
"$PY" - "$SMTP_DIR"/*.eml <<'PYEOF'
import email, email.policy, sys, unicodedata
def cols(line):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in line)
for path in sys.argv[1:]:
    m = email.message_from_binary_file(open(path, "rb"),
                                       policy=email.policy.default)
    text = m.get_body(("plain",)).get_content()
    for line in text.split("\n"):
        assert "://" in line or cols(line) <= 72, (path, line)
PYEOF
ok $? "every_text_part_is_wrapped_at_72_columns"
grep -q "^Net News - 23 Nov 2026$" "$T/alice.txt" &&
    grep -q "^Sec News - 23 Nov 2026$" "$T/bob.txt"
ok $? "each_entry_names_its_feed_and_date"

next_week
gz run >"$T/run2.out" 2>&1
ok $? "second_run_succeeds"
is "$(received_count)" 3 "second_run_with_nothing_new_sends_nothing"

rss_feed "Sec News" \
    "sec-1|Patch Tuesday|https://sec.example.org/patch" \
    "sec-2|Zero day in the wild|https://sec.example.org/zero" >"$T/www/sec.xml"
next_week
gz run >"$T/run3.out" 2>&1
ok $? "third_run_succeeds"
is "$(received_count)" 5 "new_item_sends_two_more_digests"
new=$(ls "$SMTP_DIR"/0004.env "$SMTP_DIR"/0005.env 2>/dev/null |
    xargs cat 2>/dev/null | sed -n 's/^RCPT TO://p' | sort | tr '\n' ' ')
is "$new" "bob@example.org carol@example.org " \
    "new_item_reaches_only_that_topics_subscribers"
decoded_body "$SMTP_DIR/0004.eml" >"$T/m4.txt"
grep -q "Zero day in the wild" "$T/m4.txt" && ! grep -q "Patch Tuesday" "$T/m4.txt"
ok $? "follow_up_digest_holds_only_the_new_item"

# Preview: the new item shows, and the database does not change.
rss_feed "Net News" \
    "net-1|Routing at scale|https://net.example.org/routing" \
    "net-2|QUIC in practice|https://net.example.org/quic" \
    "net-3|BGP &amp; you|https://net.example.org/bgp" >"$T/www/net.xml"
gz collect >/dev/null 2>&1
dump() {
	"$PY" -c 'import sqlite3, sys
print("\n".join(sqlite3.connect(sys.argv[1]).iterdump()))' "$DB"
}
dump >"$T/before.sql"
gz preview alice@example.org -o "$T/preview.html" 2>/dev/null
ok $? "preview_exits_zero"
grep -q "BGP &amp; you" "$T/preview.html"
ok $? "preview_holds_the_new_item"
! grep -q "Routing at scale" "$T/preview.html"
ok $? "preview_leaves_out_what_was_already_sent"
dump >"$T/after.sql"
cmp -s "$T/before.sql" "$T/after.sql"
ok $? "preview_changes_nothing_in_the_database"
next_week
gz run >/dev/null 2>&1
is "$(received_count)" 7 "after_preview_the_item_is_still_sent"

done_testing
