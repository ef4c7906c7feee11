#!/bin/sh
# preview: the whole message a subscriber would get now (--eml), a topic's
# sample digest (--topic), the plain-text part's shape, and that none of it
# changes the database.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

write_local_config "$T/gazette.conf"
mkdir -p "$T/www"
long="A rather long headline about rebuilding the routing layer on three continents without any downtime at all"
rss_feed "Example Corp Engineering Blog - Infrastructure, Reliability and Operations" \
    "n1|Oldest post|https://net.example.org/1" \
    "n2|$long|https://net.example.org/posts/2026/11/rebuilding-the-routing-layer-on-three-continents" \
    "n3|Third post|https://net.example.org/3" \
    "n4|Newest post|https://net.example.org/4" >"$T/www/net.xml"
rss_feed "Sec News" "s1|Patch Tuesday|https://sec.example.org/patch" \
    >"$T/www/sec.xml"

gz topic add net --name Networking >/dev/null 2>&1
gz topic add sec --name Security >/dev/null 2>&1
gz feed add "file://$T/www/net.xml" --topic net >/dev/null 2>&1
gz feed add "file://$T/www/sec.xml" --topic sec >/dev/null 2>&1
gz subscriber add ada@example.org --name Ada --topic net --topic sec 2>/dev/null
gz collect >/dev/null 2>&1

db_dump >"$T/before.sql"
gz preview ada@example.org --eml "$T/ada.eml" 2>/dev/null
ok $? "preview_eml_exits_zero"
"$PY" - "$T/ada.eml" >"$T/eml.check" 2>&1 <<'PYEOF'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"),
                                   policy=email.policy.default)
assert m.get_content_type() == "multipart/alternative", m.get_content_type()
assert m["To"].addresses[0].addr_spec == "ada@example.org", m["To"]
assert m["From"].addresses[0].addr_spec == "digest@news.example.org"
assert "Test Weekly" in m["Subject"], m["Subject"]
assert m["Message-ID"] and m["Date"] and m["List-Unsubscribe"]
types = [p.get_content_type() for p in m.iter_parts()]
assert types == ["text/plain", "text/html"], types
PYEOF
ok $? "preview_eml_is_the_whole_multipart_message"
sed 's/^/#   /' "$T/eml.check"
MAILCHECK=$GAZETTE_SHARED/tools/mailcheck.py
if [ -f "$MAILCHECK" ]; then
	check "preview_eml_passes_mailcheck_basic" \
	    "$PY" "$MAILCHECK" --basic "$T/ada.eml"
else
	diag "mailcheck.py not found at $MAILCHECK: check skipped"
fi

# The text part: wrapped, links as numbered references after each topic.
"$PY" - "$T/ada.eml" >"$T/ada.txt" <<'PYEOF'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"),
                                   policy=email.policy.default)
sys.stdout.write(m.get_body(("plain",)).get_content())
PYEOF
long_lines=$(grep -v '://' "$T/ada.txt" | awk 'length($0) > 78' | wc -l)
is "$long_lines" 0 "text_part_lines_are_at_most_78_columns_except_urls"
grep -q "rebuilding the routing layer" "$T/ada.txt" &&
    ! grep -qF "$long" "$T/ada.txt"
ok $? "text_part_wraps_a_long_title"
grep -q '^Newest post \[1\]$' "$T/ada.txt" &&
    grep -q '^\[1\] https://net.example.org/4$' "$T/ada.txt"
ok $? "text_part_numbers_each_link"
"$PY" - "$T/ada.txt" <<'PYEOF'
import re, sys
text = open(sys.argv[1]).read()
# Each topic's references follow its entries and restart at [1].
net, sec = text.split("== Networking ==")[1].split("== Security ==")
assert re.search(r"^\[3\] https://", net, re.M), net
assert net.rindex("[3] https://") > net.index("Third post"), net
assert re.search(r"^Patch Tuesday \[1\]$", sec, re.M), sec
assert re.search(r"^\[1\] https://sec.example.org/patch$", sec, re.M), sec
PYEOF
ok $? "text_part_references_close_each_topic"

gz preview --topic net -o "$T/net.html" 2>/dev/null
ok $? "preview_topic_exits_zero"
grep -q "Newest post" "$T/net.html" && grep -q "Third post" "$T/net.html"
ok $? "preview_topic_shows_the_newest_entries"
! grep -q "Oldest post" "$T/net.html"
ok $? "preview_topic_is_capped_by_max_items_per_topic"
! grep -q "Patch Tuesday" "$T/net.html"
ok $? "preview_topic_shows_only_that_topic"
! grep -q "ada@example.org" "$T/net.html" && grep -q "A preview of" "$T/net.html"
ok $? "preview_topic_names_no_subscriber"
db_dump >"$T/after.sql"
cmp -s "$T/before.sql" "$T/after.sql"
ok $? "previews_change_nothing_in_the_database"

gz compose --now >/dev/null 2>&1
gz preview --topic net -o "$T/net2.html" 2>/dev/null
grep -q "Newest post" "$T/net2.html"
ok $? "preview_topic_does_not_depend_on_what_was_sent"

gz preview --topic nosuch -o "$T/x.html" 2>/dev/null
is "$?" 65 "preview_of_an_unknown_topic_is_a_data_error"
gz preview --topic net --eml "$T/x.eml" 2>/dev/null
is "$?" 64 "preview_topic_with_eml_is_a_usage_error"
gz preview 2>/dev/null
is "$?" 64 "preview_without_email_or_topic_is_a_usage_error"

# A partial beside the templates is rendered.
cp -R "$top_srcdir/templates" "$T/tpl"
printf '<p>From the partial: {{title}}</p>\n' >"$T/tpl/extra.mustache"
sed 's|</body>|{{>extra}}\n</body>|' "$top_srcdir/templates/digest.html" \
    >"$T/tpl/digest.html"
GAZETTE_TEMPLATE_DIR=$T/tpl "$GAZETTE" --config /dev/null \
    --db "$T/gazette.db" preview --topic net -o "$T/partial.html" 2>/dev/null
grep -q "From the partial: " "$T/partial.html"
ok $? "partials_are_read_from_the_template_folder"

done_testing
