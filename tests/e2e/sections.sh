#!/bin/sh
# sections: subscribers who get the same entries of a topic get the same
# section, stored once; one who saw an entry already gets a section
# without it; a section goes with the last digest showing it; and a
# database from before sections (migration 8), with digests still
# queued, sends them as they were composed.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

write_local_config "$T/gazette.conf"
mkdir -p "$T/www" "$T/maildir"
GAZETTE_NOW=1795000000
export GAZETTE_NOW

# sql QUERY: the first column of the first row, from the test database.
sql() {
	"$PY" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' \
	    "$T/gazette.db" "$1"
}
# section_of FILE.txt NAME: topic NAME's section of the text part, from
# its heading to the next one or the signature.
section_of() {
	awk -v h="== $2 ==" '$0 == h { on = 1 } on && $0 != h &&
	    (/^== / || /^--$/) { on = 0 } on' "$1"
}

rss_feed "Desk Feed" "d1|Older story|https://desk.example.org/1" \
    >"$T/www/desk.xml"
rss_feed "Other Feed" "o1|Other story|https://other.example.org/1" \
    >"$T/www/other.xml"
topic_feed desk "News Desk" "$T/www/desk.xml"
topic_feed other "Other Desk" "$T/www/other.xml"
gz subscriber add cy@example.org --topic desk 2>/dev/null
gz collect >/dev/null 2>&1
gz compose --now >/dev/null 2>&1 && gz send >/dev/null 2>&1
ok $? "cy_gets_a_first_digest"

# Two more stories; ann and bob are new, cy has seen the older one.
rss_feed "Desk Feed" "d1|Older story|https://desk.example.org/1" \
    "d2|Second story|https://desk.example.org/2" \
    "d3|Third story|https://desk.example.org/3" >"$T/www/desk.xml"
gz collect --all >/dev/null 2>&1
gz subscriber add ann@example.org --name Ann --topic desk 2>/dev/null
gz subscriber add bob@example.org --name Bob --topic desk --topic other \
    2>/dev/null
gz subscriber add dee@example.org --topic other 2>/dev/null
gz compose --now >/dev/null 2>&1
ok $? "compose_for_everyone"
cp "$T/gazette.db" "$T/queued.db"
gz send >/dev/null 2>&1
ok $? "send_them"
for who in ann bob cy dee; do
	parts "$(sent_to $who@example.org)" "$T/$who"
done

section_of "$T/ann.txt" "News Desk" >"$T/ann.section"
section_of "$T/bob.txt" "News Desk" >"$T/bob.section"
section_of "$T/cy.txt" "News Desk" >"$T/cy.section"
grep -q "Older story" "$T/ann.section" &&
    grep -q "Third story" "$T/ann.section"
ok $? "ann_gets_all_three_stories"
cmp -s "$T/ann.section" "$T/bob.section"
ok $? "ann_and_bob_get_the_same_news_desk_section"
grep -q "You get this digest because ann@example.org" "$T/ann.txt" &&
    grep -q "You get this digest because bob@example.org" "$T/bob.txt"
ok $? "each_keeps_their_own_signature"
grep -q "Third story" "$T/cy.txt" && ! grep -q "Older story" "$T/cy.txt"
ok $? "cy_who_saw_the_older_story_does_not_get_it_again"
[ -s "$T/cy.section" ] && ! cmp -s "$T/ann.section" "$T/cy.section"
ok $? "cy_gets_a_different_section"
is "$(sql "SELECT count(*) FROM sections WHERE topic_id =
    (SELECT id FROM topics WHERE slug = 'desk')")" 3 \
    "news_desk_sections_stored_once_per_distinct_list"
is "$(gz outbox show "$(sql "SELECT max(id) FROM digests
    WHERE subscriber_id = (SELECT id FROM subscribers
    WHERE email = 'bob@example.org')")" --json |
    "$PY" -c 'import json, sys; print(json.load(sys.stdin)["entries"])')" 4 \
    "outbox_show_counts_the_entries_of_every_section"

# A purge takes the digests; a section nobody shows any more goes too.
gz subscriber remove --purge cy@example.org >/dev/null 2>&1
is "$(sql "SELECT count(*) FROM sections")" 2 \
    "sections_of_a_purged_subscriber_go_with_their_digests"
is "$(sql "SELECT count(*) FROM section_items si
    LEFT JOIN sections s ON s.id = si.section_id WHERE s.id IS NULL")" 0 \
    "no_entry_is_left_without_its_section"

# The queued copy as gazette before migration 8 kept it: one digest_items
# row per entry, no sections.
"$PY" - "$T/queued.db" <<'PYEOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""
CREATE TABLE digest_items (
  digest_id INTEGER NOT NULL REFERENCES digests(id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  topic_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (digest_id, item_id)) WITHOUT ROWID;
INSERT INTO digest_items SELECT dt.digest_id, si.item_id, dt.topic_id,
  si.position FROM digest_topics dt JOIN section_items si
  ON si.section_id = dt.section_id;
DROP TRIGGER section_unused;
CREATE TABLE digest_topics_old (
  digest_id INTEGER NOT NULL REFERENCES digests(id) ON DELETE CASCADE,
  topic_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  more INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (digest_id, topic_id)) WITHOUT ROWID;
INSERT INTO digest_topics_old SELECT digest_id, topic_id, position, more
  FROM digest_topics;
DROP TABLE digest_topics;
ALTER TABLE digest_topics_old RENAME TO digest_topics;
DROP TABLE section_items;
DROP TABLE sections;
PRAGMA user_version = 7;
""")
db.commit()
PYEOF
ok $? "a_queued_database_rewritten_as_before_sections"
mkdir "$T/old"
sed 's|^maildir = maildir|maildir = old/maildir|; s|^database = .*|database = queued.db|' \
    "$T/gazette.conf" >"$T/old.conf"
mkdir -p "$T/old/maildir"
"$GAZETTE" --config "$T/old.conf" send >"$T/old.out" 2>&1
ok $? "the_old_database_migrates_and_sends"
is "$(ls "$T/old/maildir/new" | wc -l)" 4 "every_queued_digest_is_sent_once"
same=0
for who in ann bob cy dee; do
	m=$(grep -l "^To:.*$who@example.org" "$T"/old/maildir/new/*)
	parts "$m" "$T/old-$who"
	for x in txt html subject; do
		cmp -s "$T/$who.$x" "$T/old-$who.$x" || same=1
	done
done
ok $same "digests_queued_before_the_migration_read_as_they_were_composed"
"$GAZETTE" --config "$T/old.conf" send >/dev/null 2>&1
is "$(ls "$T/old/maildir/new" | wc -l)" 4 "and_a_second_send_sends_nothing"

# An entry without a link, reached through two topics, is shown under the
# first only (it cannot be told apart by its link when composing).
cat >"$T/www/nolink.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>No Links</title>
<link>https://nolink.example.org/</link>
<item><guid isPermaLink="false">n1</guid><title>Linkless note</title>
<pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate>
<description>A note without a link.</description></item>
</channel></rss>
XML
gz topic add aaa --name "First Desk" >/dev/null 2>&1
gz topic add zzz --name "Last Desk" >/dev/null 2>&1
gz feed add "file://$T/www/nolink.xml" --topic aaa --topic zzz \
    >/dev/null 2>&1
gz subscriber add eve@example.org --topic aaa --topic zzz 2>/dev/null
gz collect >/dev/null 2>&1
gz compose --now >/dev/null 2>&1 && gz send >/dev/null 2>&1
parts "$(sent_to eve@example.org)" "$T/eve"
is "$(grep -c "Linkless note" "$T/eve.txt")" 1 \
    "an_entry_without_a_link_in_two_topics_is_shown_once"
grep -q "^== First Desk ==$" "$T/eve.txt" && ! grep -q "Last Desk" "$T/eve.txt"
ok $? "and_the_second_topic_gets_no_heading"

# A template whose topic section reads outside the topic still shows each
# subscriber their own: such a section is rendered for each digest.
mkdir "$T/tpl"
cp "$top_srcdir"/templates/digest.html "$top_srcdir"/templates/subject.txt \
    "$T/tpl/"
sed 's|^== {{{name}}} ==$|== {{{name}}} for {{{subscriber.email}}} ==|' \
    "$top_srcdir/templates/digest.txt" >"$T/tpl/digest.txt"
sed "s|^template_dir = .*|template_dir = $T/tpl|" "$T/gazette.conf" \
    >"$T/tpl.conf"
rss_feed "Desk Feed" "d4|Fourth story|https://desk.example.org/4" \
    >"$T/www/desk.xml"
gz collect --all >/dev/null 2>&1
"$GAZETTE" --config "$T/tpl.conf" compose --now >/dev/null 2>&1 &&
    "$GAZETTE" --config "$T/tpl.conf" send >/dev/null 2>&1
ok $? "a_template_reading_outside_the_topic_composes_and_sends"
parts "$(sent_to ann@example.org)" "$T/ann4"
parts "$(sent_to bob@example.org)" "$T/bob4"
grep -q "^== News Desk for ann@example.org ==$" "$T/ann4.txt" &&
    grep -q "^== News Desk for bob@example.org ==$" "$T/bob4.txt"
ok $? "each_subscriber_sees_their_own_address_in_the_shared_section"

done_testing
