#!/bin/sh
# An item's author e-mail, from RSS ("mail (Name)"), Atom (<email>) and
# JSON Feed (a mailto: url), is stored beside the name by collect over
# HTTP, follows the feed when it changes, and stays off the public pages
# (archive) and out of the digest.  A database made before the column
# existed (schema version 6, tests/data/schema-v6.sql) migrates and keeps
# its rows.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

mkdir -p "$T/www"
# rss.xml NAME-LINE: a one-item RSS feed whose <author> is NAME-LINE.
rss() {
	cat <<EOF
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Rss</title><link>https://rss.example.org/</link>
<item><guid isPermaLink="false">r-1</guid><title>Rss one</title>
<link>https://rss.example.org/1</link><author>$1</author>
<description>Rss body.</description></item>
</channel></rss>
EOF
}
rss "jo@rss.example.org (Jo Rss)" >"$T/www/rss.xml"
cat >"$T/www/atom.xml" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>
<id>urn:atom</id><updated>2026-11-23T10:00:00Z</updated>
<entry><id>a-1</id><title>Atom one</title><link href="https://atom.example.org/1"/>
<updated>2026-11-23T10:00:00Z</updated>
<author><name>Ann Atom</name><email>ann@atom.example.org</email></author>
<summary>Atom body.</summary></entry>
</feed>
EOF
cat >"$T/www/feed.json" <<'EOF'
{"version": "https://jsonfeed.org/version/1.1", "title": "Json",
 "items": [{"id": "j-1", "url": "https://json.example.org/1",
  "title": "Json one", "content_text": "Json body.",
  "authors": [{"name": "Jay Json", "url": "mailto:jay@json.example.org"}]}]}
EOF
rss "old@old.example.org (Jo Old)" | sed 's/r-1/old-1/' >"$T/www/old.xml"
start_http "$T/www" || exit 1
write_local_config "$T/gazette.conf"
base=http://127.0.0.1:$HTTP_PORT

# author FEED-PATH: "name|email" of the feed's one item.
author() {
	sql "SELECT coalesce(i.author, '') || '|' || coalesce(i.author_email, '')
	    FROM items i JOIN feeds f ON f.id = i.feed_id WHERE f.url = ?" \
	    "$base/$1"
}

gz topic add news --name News >/dev/null 2>&1
for f in rss.xml atom.xml feed.json; do
	gz feed add "$base/$f" --topic news --no-check >/dev/null 2>&1
done
gz collect >"$T/collect.out" 2>&1
ok $? "collect_over_http_succeeds"
is "$(author rss.xml)" "Jo Rss|jo@rss.example.org" \
    "rss_author_mail_and_name_both_stored"
is "$(author atom.xml)" "Ann Atom|ann@atom.example.org" \
    "atom_author_email_stored"
is "$(author feed.json)" "Jay Json|jay@json.example.org" \
    "json_feed_mailto_stored_as_email"

rss "Jo Rss" >"$T/www/rss.xml"
gz collect --all >/dev/null 2>&1
is "$(author rss.xml)" "Jo Rss|" "an_email_the_feed_dropped_is_dropped"
is "$(sql "SELECT count(*) FROM items")" 3 "updates_store_no_second_row"
rss "jo@rss.example.org (Jo Rss)" >"$T/www/rss.xml"
gz collect --all >/dev/null 2>&1
is "$(author rss.xml)" "Jo Rss|jo@rss.example.org" \
    "an_email_the_feed_adds_is_stored_on_update"

# Public and mailed pages show names at most, never an address.
gz archive -o "$T/site" >"$T/archive.out" 2>&1
ok $? "archive_writes"
grep -rq 'Atom one' "$T/site"
ok $? "archive_shows_the_entries"
! grep -rq '@[a-z]*\.example\.org' "$T/site"
ok $? "archive_pages_carry_no_author_email"
gz preview --topic news -o "$T/preview.html" >/dev/null 2>&1
ok $? "preview_writes"
! grep -q '@[a-z]*\.example\.org' "$T/preview.html"
ok $? "digest_carries_no_author_email"

# ------------------------------------------------ migration from version 6
latest=$(sql "PRAGMA user_version")	# of the database made new above
DB=$T/old.db
"$PY" -c 'import sqlite3, sys
sqlite3.connect(sys.argv[1]).executescript(open(sys.argv[2]).read())' \
    "$DB" "$top_srcdir/tests/data/schema-v6.sql"
sql "UPDATE feeds SET url = ?" "$base/old.xml"
is "$(sql "PRAGMA user_version")" 6 "fixture_is_a_version_6_database"
gz --db "$DB" feed list >"$T/old-list.out" 2>&1
ok $? "version_6_database_opens"
[ "$latest" -ge 7 ]
ok $? "a_new_database_has_the_author_email_migration_(7)"
is "$(sql "PRAGMA user_version")" "$latest" "and_migrates_to_the_latest_version"
is "$(sql "SELECT id || ' ' || author || ' ' || coalesce(author_email, 'none')
    FROM items WHERE key = 'old-1'")" "1 Jo Old none" \
    "old_rows_keep_their_values_without_an_email"
gz --db "$DB" collect --all >/dev/null 2>&1
ok $? "collect_into_the_migrated_database"
is "$(sql "SELECT id || ' ' || author_email FROM items")" \
    "1 old@old.example.org" "next_collect_fills_the_email_in_place"
gz --db "$DB" feed list >/dev/null 2>&1
is "$(sql "PRAGMA user_version")" "$latest" "a_second_open_changes_nothing"

done_testing
