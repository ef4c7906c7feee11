#!/bin/sh
# digest: what a sent digest holds.  An article reached through two topics
# or two feeds appears once and leaves no empty topic heading; the marks
# move past entries the per-topic cap hid; the subject counts every new
# entry; each entry shows its source, date and a link to read on; the
# preheader and the unsubscribe link are there; excerpts stay short and
# the text part stays within 72 columns, whatever the body.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

write_local_config "$T/gazette.conf"
cat >>"$T/gazette.conf" <<CONF

[digest]
max_items_per_topic = 2
CONF
mkdir -p "$T/www" "$T/maildir"

# feed FILE TITLE ITEM...: an RSS feed; ITEM is "guid|title|link|body",
# the body plain text (escaped here), every item dated 23 Nov 2026.
feed() {
	"$PY" - "$@" <<'PYEOF'
import sys
from xml.sax.saxutils import escape
path, title, items = sys.argv[1], sys.argv[2], sys.argv[3:]
out = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">'
       '<channel><title>%s</title><link>https://example.org/</link>\n'
       % escape(title)]
for n, it in enumerate(items):
    guid, ititle, link, body = it.split("|", 3)
    out.append('<item><guid isPermaLink="false">%s</guid><title>%s</title>'
               '<link>%s</link><pubDate>Mon, 23 Nov 2026 %02d:00:00 GMT'
               '</pubDate><description>%s</description></item>\n'
               % (guid, escape(ititle), link, 10 + n,
                  escape("<p>%s</p>" % escape(body))))
out.append("</channel></rss>\n")
open(path, "w", encoding="utf-8").write("".join(out))
PYEOF
}
# count_in FILE TEXT: how many lines of FILE hold TEXT.
count_in() {
	grep -cF "$2" "$1"
}
# queued: digests in the outbox.
queued() {
	"$PY" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT count(*) FROM digests").fetchone()[0])' "$T/gazette.db"
}

feed "$T/www/both.xml" "Both Ways" \
    "b1|Shared first|https://both.example.org/1|First shared body." \
    "b2|Shared second|https://both.example.org/2|Second shared body."
feed "$T/www/one.xml" "Feed One" \
    "o1|Mirrored story|https://dup.example.org/story|Told once."
feed "$T/www/two.xml" "Feed Two" \
    "t1|Mirrored story again|https://dup.example.org/story|Told twice."
feed "$T/www/many.xml" "Many Posts" \
    "m1|Many one|https://many.example.org/1|Body one." \
    "m2|Many two|https://many.example.org/2|Body two." \
    "m3|Many three|https://many.example.org/3|Body three." \
    "m4|Many four|https://many.example.org/4|Body four." \
    "m5|Many five|https://many.example.org/5|Body five."
gz topic add alpha --name "Alpha Desk" >/dev/null 2>&1
gz topic add beta --name "Beta Desk" >/dev/null 2>&1
gz topic add mirror --name "Mirror Desk" >/dev/null 2>&1
gz topic add many --name "Many Desk" >/dev/null 2>&1
gz feed add "file://$T/www/both.xml" --topic alpha --topic beta >/dev/null 2>&1
gz feed add "file://$T/www/one.xml" --topic mirror >/dev/null 2>&1
gz feed add "file://$T/www/two.xml" --topic mirror >/dev/null 2>&1
gz feed add "file://$T/www/many.xml" --topic many >/dev/null 2>&1
gz subscriber add ada@example.org --topic alpha --topic beta 2>/dev/null
gz subscriber add bob@example.org --topic mirror 2>/dev/null
gz subscriber add cy@example.org --topic many 2>/dev/null
gz collect >/dev/null 2>&1

gz compose --now >/dev/null 2>&1 && gz send >/dev/null 2>&1
ok $? "first_compose_and_send_exit_zero"
parts "$(sent_to ada@example.org)" "$T/ada"
parts "$(sent_to bob@example.org)" "$T/bob"
parts "$(sent_to cy@example.org)" "$T/cy"

# One feed in two topics: each article once, under the first topic only.
is "$(count_in "$T/ada.html" ">Shared first<") $(count_in "$T/ada.html" ">Shared second<")" \
    "1 1" "article_in_two_topics_is_in_the_html_once"
is "$(count_in "$T/ada.txt" "Shared first") $(count_in "$T/ada.txt" "Shared second")" \
    "1 1" "article_in_two_topics_is_in_the_text_once"
grep -q "Alpha Desk" "$T/ada.html" && ! grep -q "Beta Desk" "$T/ada.html"
ok $? "topic_with_only_repeated_articles_has_no_html_heading"
grep -q "^== Alpha Desk ==$" "$T/ada.txt" && ! grep -q "Beta Desk" "$T/ada.txt"
ok $? "topic_with_only_repeated_articles_has_no_text_heading"
grep -q "^Test Weekly: 2 new posts" "$T/ada.subject"
ok $? "subject_counts_an_article_of_two_topics_once"

# The same link in two feeds: one entry.
is "$(grep -c "Mirrored story" "$T/bob.txt")" 1 \
    "same_link_in_two_feeds_appears_once_in_text"
is "$(grep -c ">Mirrored story" "$T/bob.html")" 1 \
    "same_link_in_two_feeds_appears_once_in_html"

# Five new, two shown: the subject counts five, the topic says 3 more.
grep -q "^Test Weekly: 5 new posts — " "$T/cy.subject"
ok $? "subject_counts_entries_hidden_by_the_cap"
sed 's/^/#   /' "$T/cy.subject"
grep -q "Many five" "$T/cy.txt" && grep -q "Many four" "$T/cy.txt" &&
    ! grep -q "Many three" "$T/cy.txt" && grep -q "^and 3 more" "$T/cy.txt"
ok $? "cap_shows_the_newest_and_counts_the_rest"

# Marks move past what the cap hid: nothing new means no digest.
before=$(queued)
gz compose --now >/dev/null 2>&1
is "$(queued)" "$before" "hidden_entries_do_not_come_back_in_the_next_digest"
feed "$T/www/many.xml" "Many Posts" \
    "m1|Many one|https://many.example.org/1|Body one." \
    "m2|Many two|https://many.example.org/2|Body two." \
    "m3|Many three|https://many.example.org/3|Body three." \
    "m4|Many four|https://many.example.org/4|Body four." \
    "m5|Many five|https://many.example.org/5|Body five." \
    "m6|Many six|https://many.example.org/6|Body six."
gz collect >/dev/null 2>&1
gz compose --now >/dev/null 2>&1 && gz send >/dev/null 2>&1
is "$(queued)" "$((before + 1))" "one_new_entry_queues_one_digest"
parts "$(sent_to cy@example.org)" "$T/cy2"
grep -q "Many six" "$T/cy2.txt" &&
    ! grep -Eq "Many (one|two|three|four|five)" "$T/cy2.txt" &&
    ! grep -Eq "Many (one|two|three|four|five)" "$T/cy2.html"
ok $? "next_digest_holds_only_the_new_entry"
grep -q "^Test Weekly: 1 new post — Many six$" "$T/cy2.subject"
ok $? "subject_of_one_entry_says_post"

# What each entry shows.
"$PY" - "$T/cy.html" <<'PYEOF'
import re, sys
html = open(sys.argv[1]).read()
# The source and date in the byline under the title.
assert re.search(r"Many Posts &middot; <span[^>]*>23 Nov 2026</span>", html), \
    "no byline"
PYEOF
ok $? "html_entry_shows_its_source_and_date"
grep -q "^Many Posts - 23 Nov 2026$" "$T/cy.txt"
ok $? "text_entry_shows_its_source_and_date"
"$PY" - "$T/cy.html" <<'PYEOF'
import re, sys
html = open(sys.argv[1]).read()
m = re.search(r'<div style="display:none;[^"]*">([^<]*)</div>', html)
assert m, "no hidden preheader"
assert m.group(1).startswith("5 new posts: Many five, Many four"), m.group(1)
assert html.index(m.group(0)) < html.index("Many Desk"), "not first"
PYEOF
ok $? "html_starts_with_a_hidden_preheader"
grep -q "href=\"https://news.example.org/unsubscribe?t=$(token_of cy@example.org)\"" \
    "$T/cy.html"
ok $? "html_has_the_unsubscribe_link_with_the_subscribers_token"
grep -Eq '<a [^>]*href="https://many.example.org/5"[^>]*>Continue reading' \
    "$T/cy.html"
ok $? "continue_reading_links_to_the_item"

done_testing
