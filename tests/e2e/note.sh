#!/bin/sh
# note: editors' notes (compose/run --note, --topic-note) in Markdown reach
# the sent message's HTML and text parts, sanitized; a note that is not
# UTF-8 stops compose with nothing queued; [digest] when_empty = note; and
# the renderer's per-run cache gives what a lone render gives.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

write_local_config "$T/gazette.conf"
mkdir -p "$T/www" "$T/maildir"
rss_feed "Net News" "n1|Routing news|https://net.example.org/1" \
    "n2|Switching news|https://net.example.org/2" >"$T/www/net.xml"
rss_feed "Sec News" "s1|Patch Tuesday|https://sec.example.org/patch" \
    >"$T/www/sec.xml"
topic_feed net Networking "$T/www/net.xml"
topic_feed sec Security "$T/www/sec.xml"
gz subscriber add ada@example.org --name Ada --topic net --topic sec 2>/dev/null
gz subscriber add bob@example.org --name Bob --topic net --topic sec 2>/dev/null
gz subscriber add cy@example.org --name Cy --topic sec 2>/dev/null
gz collect >/dev/null 2>&1

# Uncached renders first: preview builds one digest with a fresh renderer.
for who in ada bob cy; do
	gz preview $who@example.org --eml "$T/$who.preview.eml" 2>/dev/null
	parts "$T/$who.preview.eml" "$T/$who.preview"
done

# A note that is not UTF-8: refused, named with its offset, nothing queued.
printf 'Caf\351 au lait\n' >"$T/latin1.md"
db_dump >"$T/before.sql"
gz compose --now --note "$T/latin1.md" 2>"$T/latin1.err"
is "$?" 65 "non_utf8_note_exits_65"
grep -q "latin1.md: not valid UTF-8 (byte offset 3)" "$T/latin1.err"
ok $? "non_utf8_note_error_names_the_file_and_offset"
db_dump >"$T/after.sql"
cmp -s "$T/before.sql" "$T/after.sql"
ok $? "non_utf8_note_composes_nothing"
gz compose --now --topic-note "sec=$T/latin1.md" 2>/dev/null
is "$?" 65 "non_utf8_topic_note_exits_65"
gz compose --now --topic-note "nosuch=$T/latin1.md" 2>/dev/null
is "$?" 65 "topic_note_for_an_unknown_topic_is_a_data_error"
gz compose --now --topic-note "sec" 2>/dev/null
is "$?" 64 "topic_note_without_a_file_is_a_usage_error"
db_dump >"$T/after.sql"
cmp -s "$T/before.sql" "$T/after.sql"
ok $? "refused_notes_compose_nothing"

cat >"$T/run.md" <<'MD'
## From the editor

This week is **special**: see [our site](https://news.example.org/about).

<script>alert("run")</script>

- first point
- second point
MD
cat >"$T/sec.md" <<'MD'
Security *note*: patch now. <script>alert("sec")</script>
MD
gz compose --now --note "$T/run.md" --topic-note "sec=$T/sec.md" 2>/dev/null
ok $? "compose_with_notes_exits_zero"
gz send >/dev/null 2>&1
ok $? "send_exits_zero"
for who in ada bob cy; do
	parts "$(sent_to $who@example.org)" "$T/$who"
done

grep -q "<h2>From the editor</h2>" "$T/ada.html" &&
    grep -q "<strong>special</strong>" "$T/ada.html" &&
    grep -q 'href="https://news.example.org/about"' "$T/ada.html"
ok $? "run_note_is_rendered_markdown_in_the_html_part"
# The tags go; an inline script's words stay as inert, escaped text.
! grep -qi "<script" "$T/ada.html" && ! grep -q '"run"' "$T/ada.html"
ok $? "script_in_a_note_does_not_survive_in_html"
note_line=$(grep -n "From the editor" "$T/ada.html" | head -1 | cut -d: -f1)
topic_line=$(grep -n "Networking" "$T/ada.html" | tail -1 | cut -d: -f1)
[ -n "$note_line" ] && [ -n "$topic_line" ] && [ "$note_line" -lt "$topic_line" ]
ok $? "run_note_comes_before_the_first_topic"
grep -q "^From the editor$" "$T/ada.txt" &&
    grep -q "^This week is special: see our site.$" "$T/ada.txt" &&
    grep -q "^- second point$" "$T/ada.txt"
ok $? "run_note_is_plain_text_in_the_text_part"
! grep -qi "<script" "$T/ada.txt" && ! grep -q "\*\*" "$T/ada.txt"
ok $? "text_part_holds_no_markup_or_script"
sed -n '/Security/,$p' "$T/ada.html" | grep -q "<em>note</em>"
ok $? "topic_note_is_in_its_topic_section"
sed -n '/Networking/,/Security/p' "$T/ada.html" | grep -q "<em>note</em>"
[ $? -ne 0 ]
ok $? "topic_note_is_not_in_other_sections"
awk '/== Security ==/ { s = 1 } s && /^Security note: patch now/ { f = 1 }
    END { exit !f }' "$T/ada.txt"
ok $? "topic_note_is_in_the_text_section"
grep -q "<em>note</em>" "$T/cy.html" && grep -q "From the editor" "$T/cy.html"
ok $? "every_digest_carries_the_notes"
is "$("$PY" -c 'import sqlite3,sys
print(sqlite3.connect(sys.argv[1]).execute("select count(*) from notes").fetchone()[0])' "$T/gazette.db")" 2 \
    "each_note_is_stored_once_per_run"

# The cache: the batch (cached) renders match the lone preview renders,
# once the notes are taken out, and two subscribers share topic sections.
strip_notes() {
	sed -e '/gz-note/,/^<\/td><\/tr>$/d' "$1"
}
same=0
for who in ada bob cy; do
	strip_notes "$T/$who.html" >"$T/$who.cmp"
	strip_notes "$T/$who.preview.html" >"$T/$who.preview.cmp"
	cmp -s "$T/$who.cmp" "$T/$who.preview.cmp" && same=$((same + 1))
done
is "$same" 3 "cached_batch_render_equals_a_lone_render"
sed -n '/Networking/,/You get this digest/p' "$T/ada.html" | sed '$d' >"$T/ada.sec"
sed -n '/Networking/,/You get this digest/p' "$T/bob.html" | sed '$d' >"$T/bob.sec"
cmp -s "$T/ada.sec" "$T/bob.sec" && ! cmp -s "$T/ada.html" "$T/bob.html" &&
    grep -q "ada@example.org" "$T/ada.html" &&
    grep -q "bob@example.org" "$T/bob.html"
ok $? "same_topics_give_identical_sections_with_per_subscriber_footers"

# The notes stay with the queued digest: shown on a later attempt too.
gz outbox retry 1 >/dev/null 2>&1
gz send >/dev/null 2>&1
parts "$(sent_to ada@example.org)" "$T/ada2"
grep -q "From the editor" "$T/ada2.html"
ok $? "a_later_send_of_the_digest_shows_the_note"

# gazette run --note.
rss_feed "Net News" "n1|Routing news|https://net.example.org/1" \
    "n2|Switching news|https://net.example.org/2" \
    "n3|Third news|https://net.example.org/3" >"$T/www/net.xml"
printf 'Run *note* two\n' >"$T/run2.md"
GAZETTE_NOW=$(($(date +%s) + 8 * 86400)) gz run --note "$T/run2.md" \
    >/dev/null 2>&1
ok $? "run_with_note_exits_zero"
parts "$(sent_to bob@example.org)" "$T/bob3"
grep -q "Run <em>note</em> two" "$T/bob3.html" &&
    grep -q "Third news" "$T/bob3.html"
ok $? "run_note_reaches_the_digest"
gz run --note "$T/latin1.md" >/dev/null 2>&1
is "$?" 65 "run_with_a_non_utf8_note_exits_65"
gz compose --now --topic-note "net=$T/sec.md" 2>"$T/unused.err"
ok $? "compose_with_nothing_new_and_a_note_exits_zero"
grep -q "no digest carries topic net this time" "$T/unused.err"
ok $? "an_unused_topic_note_is_reported"

# when_empty = note: cy (Security only) has nothing new, and is due.
cat >>"$T/gazette.conf" <<CONF

[digest]
when_empty = note
CONF
later=$(($(date +%s) + 16 * 86400))
before=$(ls "$T/maildir/new" | wc -l)
GAZETTE_NOW=$later gz compose >/dev/null 2>&1
ok $? "compose_with_when_empty_note_exits_zero"
GAZETTE_NOW=$later gz send >/dev/null 2>&1
after=$(ls "$T/maildir/new" | wc -l)
is "$((after - before))" 3 "every_due_subscriber_gets_a_digest"
parts "$(sent_to cy@example.org)" "$T/cy4"
grep -q "Nothing new this time in Security" "$T/cy4.html" &&
    grep -q "Nothing new this time in Security" "$T/cy4.txt"
ok $? "nothing_new_digest_names_the_topics"
! grep -q "Patch Tuesday" "$T/cy4.html"
ok $? "nothing_new_digest_has_no_entries"
grep -qi "nothing new" "$T/cy4.subject"
ok $? "nothing_new_subject_says_so"
GAZETTE_NOW=$((later + 3600)) gz compose >/dev/null 2>&1
GAZETTE_NOW=$((later + 3600)) gz send >/dev/null 2>&1
is "$(ls "$T/maildir/new" | wc -l)" "$after" "nothing_new_is_sent_once_per_period"
sed -i 's/^when_empty = note$/when_empty = skip/' "$T/gazette.conf"
GAZETTE_NOW=$((later + 8 * 86400)) gz compose >/dev/null 2>&1
GAZETTE_NOW=$((later + 8 * 86400)) gz send >/dev/null 2>&1
is "$(ls "$T/maildir/new" | wc -l)" "$after" "when_empty_skip_sends_nothing"

done_testing
