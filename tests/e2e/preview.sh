#!/bin/sh
# preview: the whole message a subscriber would get now (--eml), a topic's
# sample digest (--topic), the plain-text part's shape, that none of it
# changes the database, and what it says of a subscriber compose would
# send nothing (no topic, unsubscribed, pending).
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
# Bodies no word wrap can tame alone: 300 KB with no space, and 3,000 CJK
# characters (no spaces either, two columns each).
"$PY" - "$T/www/odd.xml" <<'PYEOF'
import sys
items = [("o1", "No spaces", "x" * (300 * 1024)),
         ("o2", "\u4e2d\u6587\u6807\u9898", "\u6587\u5b57" * 1500)]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">'
            '<channel><title>Odd Bodies</title><link>https://odd.example.org/'
            '</link>\n')
    for guid, title, body in items:
        f.write('<item><guid>%s</guid><title>%s</title><link>'
                'https://odd.example.org/%s</link><description>&lt;p&gt;%s'
                '&lt;/p&gt;</description></item>\n' % (guid, title, guid, body))
    f.write("</channel></rss>\n")
PYEOF

gz topic add net --name Networking >/dev/null 2>&1
gz topic add sec --name Security >/dev/null 2>&1
gz topic add odd --name Oddities >/dev/null 2>&1
gz feed add "file://$T/www/net.xml" --topic net >/dev/null 2>&1
gz feed add "file://$T/www/sec.xml" --topic sec >/dev/null 2>&1
gz feed add "file://$T/www/odd.xml" --topic odd >/dev/null 2>&1
gz subscriber add ada@example.org --name Ada --topic net --topic sec 2>/dev/null
gz subscriber add oz@example.org --name Oz --topic odd 2>/dev/null
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
# widest FILE: the widest line without a URL, in terminal columns (East
# Asian wide and fullwidth characters take two).
widest() {
	"$PY" - "$1" <<'PYEOF'
import sys, unicodedata
def cols(line):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in line)
print(max([cols(l) for l in open(sys.argv[1], encoding="utf-8")
           .read().split("\n") if "://" not in l] + [0]))
PYEOF
}
w=$(widest "$T/ada.txt")
[ "$w" -le 72 ]
ok $? "text_part_lines_are_at_most_72_columns_except_urls"
[ "$w" -le 72 ] || diag "widest line: $w columns"
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

# Excerpts of bodies with no spaces: short, whole characters, wrapped.
gz preview oz@example.org --eml "$T/oz.eml" 2>/dev/null
ok $? "preview_of_spaceless_bodies_exits_zero"
"$PY" - "$T/oz.eml" "$T/oz" <<'PYEOF'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"),
                                   policy=email.policy.default)
open(sys.argv[2] + ".txt", "w").write(m.get_body(("plain",)).get_content())
open(sys.argv[2] + ".html", "w").write(m.get_body(("html",)).get_content())
PYEOF
w=$(widest "$T/oz.txt")
[ "$w" -le 72 ]
ok $? "spaceless_and_cjk_excerpts_wrap_at_72_columns"
[ "$w" -le 72 ] || diag "widest line: $w columns"
"$PY" - "$T/oz.html" <<'PYEOF'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
ex = re.findall(r'<div class="gz-text"[^>]*>([^<]*)</div>', html)
assert len(ex) == 2, ex
for e in ex:
    assert e.endswith("\u2026"), e[-20:]
    assert 20 < len(e) <= 401, len(e)
assert "xxxx" in ex[0] or "xxxx" in ex[1], ex
assert any(e.startswith("\u6587\u5b57") for e in ex), ex
PYEOF
ok $? "spaceless_and_cjk_excerpts_are_cut_short_with_an_ellipsis"
[ "$(wc -c <"$T/oz.eml")" -lt 20000 ]
ok $? "a_300_kb_body_makes_a_small_message"

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

# A subscriber with no topic: accepted, gets nothing until subscribed.
gz subscriber add dan@example.org 2>"$T/dan.err"
ok $? "subscriber_add_without_topic_is_accepted"
grep -q "no digest until 'gazette subscribe dan@example.org SLUG'" "$T/dan.err"
ok $? "subscriber_add_without_topic_says_no_digest_until_subscribed"
is "$(shown status dan@example.org) $(shown topics dan@example.org)" \
    "active []" "subscriber_without_topic_is_active_with_no_topics"
gz preview dan@example.org -o "$T/dan.html" 2>"$T/dan.err"
ok $? "preview_of_a_subscriber_without_topic_exits_zero"
grep -q "dan@example.org is subscribed to no topic: compose sends them no digest" \
    "$T/dan.err" && [ ! -e "$T/dan.html" ]
ok $? "preview_of_a_subscriber_without_topic_says_nothing_would_be_sent"
gz compose --now >/dev/null 2>&1
is "$("$PY" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT count(*) FROM digests d JOIN subscribers s"
    " ON s.id = d.subscriber_id WHERE s.email = ?",
    (sys.argv[2],)).fetchone()[0])' "$T/gazette.db" dan@example.org)" 0 \
    "compose_queues_nothing_for_a_subscriber_without_topic"
gz subscribe dan@example.org sec >/dev/null 2>&1
gz preview dan@example.org -o "$T/dan.html" 2>/dev/null
grep -q "Patch Tuesday" "$T/dan.html"
ok $? "once_subscribed_the_preview_shows_the_topic"

# A subscriber compose skips (unsubscribed, pending): the preview is still
# written, and a warning says compose would send them nothing.
gz subscriber add uma@example.org --topic sec 2>/dev/null
gz subscriber set uma@example.org --status unsubscribed 2>/dev/null
gz preview uma@example.org -o "$T/uma.html" 2>"$T/uma.err"
ok $? "preview_of_an_unsubscribed_subscriber_exits_zero"
grep -q "warning: uma@example.org is unsubscribed: compose sends them no digest" \
    "$T/uma.err"
ok $? "preview_of_an_unsubscribed_subscriber_warns_nothing_would_be_sent"
grep -q "Patch Tuesday" "$T/uma.html"
ok $? "preview_of_an_unsubscribed_subscriber_is_still_written"
mkdir -p "$T/maildir"
gz subscriber add pam@example.org --topic sec --confirm >/dev/null 2>&1
gz preview pam@example.org -o "$T/pam.html" 2>"$T/pam.err"
grep -q "pam@example.org is pending: compose sends them no digest" "$T/pam.err" &&
    grep -q "Patch Tuesday" "$T/pam.html"
ok $? "preview_of_a_pending_subscriber_warns_and_is_written"
gz preview ada@example.org -o "$T/ada2.html" 2>"$T/ada2.err"
! grep -q "warning" "$T/ada2.err"
ok $? "preview_of_an_active_subscriber_has_no_warning"

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
