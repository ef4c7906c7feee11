#!/bin/sh
# archive-digest: a sent digest's "View in browser" link names a page that
# `gazette archive` writes, one page per distinct content: subscribers who
# got the same topics' entries share it, another topic set gets its own,
# and no page says who got it.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

write_local_config "$T/gazette.conf"
mkdir -p "$T/feeds"
rss_feed "River Log" "r1|River one|https://rivers.example.org/1" \
    "r2|River two|https://rivers.example.org/2" >"$T/feeds/rivers.xml"
rss_feed "Hill Log" "h1|Hill one|https://hills.example.org/1" \
    >"$T/feeds/hills.xml"

topic_feed rivers Rivers "$T/feeds/rivers.xml"
topic_feed hills Hills "$T/feeds/hills.xml"
gz subscriber add ada@example.org --name 'Ada Lovelace' --topic rivers \
    >/dev/null 2>&1
gz subscriber add bea@example.org --name 'Bea Brookfield' --topic rivers \
    >/dev/null 2>&1
gz subscriber add cy@example.org --name 'Cy Cragsman' --topic hills \
    --topic rivers >/dev/null 2>&1
gz collect >/dev/null 2>&1
gz compose --now >/dev/null 2>&1
gz send >/dev/null 2>&1

# view WHO: the page the HTML part of WHO's newest digest links.
view() {
	parts "$(sent_to "$1@example.org")" "$T/$1"
	sed -n 's|.*href="https://news.example.org/\(issue-[^"]*\)".*|\1|p' \
	    "$T/$1.html" | head -n 1
}
# links FILE: the entry links, each once, in the order they first appear.
links() {
	grep -o 'https://[a-z]*\.example\.org/[0-9][0-9]*' "$1" | awk '!seen[$0]++' |
	    tr '\n' ' '
}
ada=$(view ada) bea=$(view bea) cy=$(view cy)
diag "view in browser: ada $ada, bea $bea, cy $cy"
case $ada in issue-????-W??-*.html) true ;; *) false ;; esac
ok $? "the_link_names_a_page_by_week_and_content"
is "$bea" "$ada" "the_same_topics_give_the_same_view_url"
[ -n "$cy" ] && [ "$cy" != "$ada" ]
ok $? "another_topic_set_gives_another_view_url"
grep -q "View in a browser: https://news.example.org/$ada" "$T/ada.txt"
ok $? "the_text_part_names_the_same_page"

W=$T/www
gz archive -o "$W" >"$T/run1.out" 2>&1
ok $? "archive_exits_zero"
[ -f "$W/$ada" ] && [ -f "$W/$cy" ]
ok $? "each_view_url_names_a_page_archive_wrote"
is "$(cd "$W" && ls issue-*-W*-*.html | wc -l)" 2 \
    "one_page_per_distinct_content"
grep -q '<a href="https://rivers.example.org/1">River one</a>' "$W/$ada" &&
    grep -q '<a href="https://rivers.example.org/2">River two</a>' "$W/$ada" &&
    ! grep -q 'Hill one' "$W/$ada"
ok $? "the_page_shows_the_digests_entries_and_no_other"
grep -q 'River Log' "$W/$ada" && grep -q 'Body of River one' "$W/$ada" &&
    grep -q 'Continue reading' "$W/$ada"
ok $? "entries_show_source_excerpt_and_continue_reading"
grep -q '<title>Week [0-9]*, 2[0-9]* &middot; Test Weekly</title>' "$W/$ada" &&
    grep -q 'in the digest sent [0-9][0-9] [A-Z][a-z][a-z] 2' "$W/$ada"
ok $? "the_page_is_titled_with_the_week_and_dated"
is "$(links "$W/$cy")" "$(links "$T/cy.html")" \
    "the_page_lists_topics_and_entries_in_the_digests_order"

# Nothing personal on any page.
for who in ada bea cy; do
	token=$(token_of "$who@example.org")
	[ -n "$token" ] && ! grep -rqiF -e "$token" -e "$who@example.org" "$W"
	ok $? "no_token_or_address_of_${who}_in_the_archive"
done
! grep -rqiF -e Lovelace -e Brookfield -e Cragsman -e unsubscribe "$W"
ok $? "no_name_or_unsubscribe_link_in_the_archive"

# Nothing changed: nothing rewritten, every mtime kept.
stamps "$W" >"$T/stamps1"
gz archive -o "$W" >"$T/run2.out" 2>&1
grep -q ' 0 pages written' "$T/run2.out"
ok $? "a_second_run_writes_0_pages"
stamps "$W" >"$T/stamps2"
cmp -s "$T/stamps1" "$T/stamps2"
ok $? "a_second_run_keeps_every_mtime"

# A new entry, another digest: its page is added, the earlier pages stay.
rss_feed "River Log" "r1|River one|https://rivers.example.org/1" \
    "r2|River two|https://rivers.example.org/2" \
    "r3|River three|https://rivers.example.org/3" >"$T/feeds/rivers.xml"
gz collect >/dev/null 2>&1
gz compose --now >/dev/null 2>&1
gz send >/dev/null 2>&1
ada2=$(view ada)
gz archive -o "$W" >"$T/run3.out" 2>&1
sed 's/^/#   /' "$T/run3.out"
[ -n "$ada2" ] && [ "$ada2" != "$ada" ] && [ -f "$W/$ada2" ] &&
    grep -q 'River three' "$W/$ada2" && ! grep -q 'River one' "$W/$ada2"
ok $? "a_new_digest_gets_its_own_page"
stamps "$W" >"$T/stamps3"
is "$(grep "^$ada " "$T/stamps3")" "$(grep "^$ada " "$T/stamps1")" \
    "an_earlier_digests_page_is_left_alone"

# A content no sent digest has any more: its page is removed.
id=$(sql "SELECT g.id FROM digests g JOIN subscribers s ON s.id = g.subscriber_id WHERE s.email = 'cy@example.org' ORDER BY g.id LIMIT 1")
sql "DELETE FROM digest_topics WHERE digest_id = ?" "$id" >/dev/null
sql "DELETE FROM digests WHERE id = ?" "$id" >/dev/null
gz archive -o "$W" >"$T/run4.out" 2>&1
[ ! -e "$W/$cy" ] && [ -f "$W/$ada" ]
ok $? "a_page_no_sent_digest_shows_is_removed"

# The same entries stored as two sections (a compose that wrote a list
# twice): still the same content, the same page.
latest_bea="SELECT g.id FROM digests g JOIN subscribers s ON s.id = g.subscriber_id WHERE s.email = 'bea@example.org' ORDER BY g.id DESC LIMIT 1"
old=$(sql "SELECT section_id FROM digest_topics WHERE digest_id = ($latest_bea)")
new=$(sql "INSERT INTO sections (topic_id) SELECT topic_id FROM sections WHERE id = ? RETURNING id" "$old")
sql "INSERT INTO section_items (section_id, position, item_id) SELECT ?, position, item_id FROM section_items WHERE section_id = ?" "$new" "$old" >/dev/null
sql "UPDATE digest_topics SET section_id = ? WHERE digest_id = ($latest_bea)" "$new" >/dev/null
pages=$(cd "$W" && ls issue-*-W*-*.html | tr '\n' ' ')
gz archive -o "$W" >"$T/run5.out" 2>&1
[ -n "$new" ] && [ "$new" != "$old" ] && grep -q ' 0 pages written' "$T/run5.out"
ok $? "a_list_stored_twice_is_one_page"
is "$(cd "$W" && ls issue-*-W*-*.html | tr '\n' ' ')" "$pages" \
    "the_pages_are_the_same"

done_testing
