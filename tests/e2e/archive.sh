#!/bin/sh
# archive: the static web archive written by the real CLI from collected
# feeds and a digest sent into a Maildir: pages and pagination, every entry
# once, re-runs that touch only what changed, nothing personal on a public
# page, and the digest's links landing on pages that exist.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

write_local_config "$T/gazette.conf"
printf '\n[archive]\npage_size = 20\n' >>"$T/gazette.conf"
mkdir -p "$T/feeds"

# net: 45 entries, newest (n45) first in the archive.
net_items() {
	i=1
	while [ "$i" -le "$1" ]; do
		echo "n$i|Net post $i|https://net.example.org/$i"
		i=$((i + 1))
	done
}
write_net() {
	set -- $(net_items "$1" | tr ' ' '_')
	rss_feed "Net Blog" "$@" | sed 's/Net_post_/Net post /g' \
	    >"$T/feeds/net.xml"
}
write_net 45

# misc: an entry without a title, one without a link, one with a 5 MB body.
big=$("$PY" -c 'print("<p>" + "word " * 1000000 + "</p>")' | sed 's/</\&lt;/g; s/>/\&gt;/g')
write_misc() {
	{
		printf '<?xml version="1.0" encoding="utf-8"?>\n'
		printf '<rss version="2.0"><channel><title>Misc &amp; More</title>\n'
		printf '<item><guid>m1</guid><title></title><link>https://misc.example.org/untitled</link><description>No title here.</description></item>\n'
		printf '<item><guid>m2</guid><title>Linkless note</title><description>Nowhere to go.</description></item>\n'
		printf '<item><guid>m3</guid><title>Huge post</title><link>https://misc.example.org/huge</link><description>%s</description></item>\n' "$big"
		[ $# -gt 0 ] && printf '<item><guid>m4</guid><title>%s</title><link>https://misc.example.org/new</link></item>\n' "$1"
		printf '</channel></rss>\n'
	} >"$T/feeds/misc.xml"
}
write_misc

gz topic add net --name Networking >/dev/null 2>&1
gz topic add misc --name 'Odds & Ends' >/dev/null 2>&1
gz feed add "file://$T/feeds/net.xml" --topic net >/dev/null 2>&1
gz feed add "file://$T/feeds/misc.xml" --topic misc >/dev/null 2>&1
gz subscriber add ada@example.org --name 'Ada Lovelace' --topic net \
    --topic misc >/dev/null 2>&1
gz collect >/dev/null 2>&1
gz compose --now >/dev/null 2>&1
gz send >/dev/null 2>&1
msg=$(ls "$T"/maildir/new/* 2>/dev/null | head -n 1)
[ -n "$msg" ]
ok $? "a_digest_was_sent_into_the_maildir"

W=$T/www
gz archive -o "$W" >"$T/run1.out" 2>&1
ok $? "archive_exits_zero"
grep -q 'pages written, 0 unchanged' "$T/run1.out"
ok $? "first_run_reports_pages_written"
sed 's/^/#   /' "$T/run1.out"

for f in index.html net/index.html net/page/2.html net/page/3.html \
    misc/index.html .gazette-archive; do
	[ -f "$W/$f" ]
	ok $? "page_exists_$f"
done
[ ! -e "$W/net/page/4.html" ] && [ ! -e "$W/misc/page/2.html" ]
ok $? "no_page_beyond_the_last"

# The pager: the numbers 1 2 3 on every net page, the current one marked.
pager() {	# pager FILE: "1 2 3 current=N"
	"$PY" - "$1" <<'PYEOF'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
nav = re.search(r'<nav class="pager".*?</nav>', html, re.S).group(0)
nums = re.findall(r'>(\d+)</(?:a|span)>', nav)
cur = re.findall(r'aria-current="page">(\d+)<', nav)
print(" ".join(nums), "current=" + ",".join(cur))
PYEOF
}
is "$(pager "$W/net/index.html")" "1 2 3 current=1" "page_1_pager_reads_1_2_3"
is "$(pager "$W/net/page/2.html")" "1 2 3 current=2" "page_2_pager_reads_1_2_3"
is "$(pager "$W/net/page/3.html")" "1 2 3 current=3" "page_3_pager_reads_1_2_3"
grep -q 'rel="next" href="page/2.html"' "$W/net/index.html" &&
    grep -q 'rel="prev" href="../index.html"' "$W/net/page/2.html" &&
    grep -q 'rel="next" href="../page/3.html"' "$W/net/page/2.html" &&
    ! grep -q 'rel="next"' "$W/net/page/3.html"
ok $? "prev_and_next_links_point_at_the_neighbours"

# Every net entry appears on exactly one page; pages hold 20, 20 and 5.
entries() {	# entries FILE...: the entry links, one per entry
	cat "$@" | sed -n 's|.*<h2><a href="\(https://net.example.org/[0-9]*\)".*|\1|p'
}
is "$(entries "$W"/net/index.html "$W"/net/page/*.html | sort | uniq | wc -l)" 45 \
    "all_45_entries_are_on_the_pages"
is "$(entries "$W"/net/index.html "$W"/net/page/*.html | sort | uniq -d | wc -l)" 0 \
    "no_entry_is_on_two_pages"
is "$(entries "$W/net/index.html" | wc -l) $(entries "$W/net/page/3.html" | wc -l)" \
    "20 5" "pages_hold_page_size_entries_the_last_the_rest"
is "$(entries "$W/net/index.html" | head -n 1)" "https://net.example.org/45" \
    "newest_entry_comes_first"

# Bad input.
grep -q '<a href="https://misc.example.org/untitled">https://misc.example.org/untitled</a>' \
    "$W/misc/index.html"
ok $? "an_untitled_entry_shows_its_link_as_title"
grep -q '<h2>Linkless note</h2>' "$W/misc/index.html"
ok $? "an_entry_without_link_has_no_anchor"
size=$(wc -c <"$W/misc/index.html")
grep -q 'Huge post' "$W/misc/index.html" && [ "$size" -lt 100000 ]
ok $? "a_5_MB_body_gives_only_an_excerpt ($size bytes)"
grep -q 'Odds &amp; Ends' "$W/index.html" && grep -q 'Misc &amp; More' "$W/misc/index.html"
ok $? "names_are_escaped"

# Nothing personal on any public page.
token=$("$PY" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("select token from subscribers").fetchone()[0])' \
    "$T/gazette.db")
[ -n "$token" ] && ! grep -rqiF -e "$token" -e ada@example.org -e Lovelace \
    -e unsubscribe "$W"
ok $? "no_token_address_or_name_in_the_archive"

# The digest's links: "view in browser" and "and K more" name pages here.
decoded_body "$msg" >"$T/msg.txt"
view=$(sed -n 's|.*View in a browser: https://news.example.org/\([^ ]*\).*|\1|p' "$T/msg.txt" | head -n 1)
[ -n "$view" ] && [ -f "$W/$view" ]
ok $? "view_in_browser_names_a_file_in_the_archive ($view)"
grep -q 'href="https://news.example.org/'"$view"'"' "$T/msg.txt"
ok $? "the_html_part_links_the_same_page"
[ -n "$view" ] && grep -q 'https://net.example.org/45' "$W/$view" &&
    ! grep -q 'https://net.example.org/40"' "$W/$view"
ok $? "the_issue_page_holds_what_the_digest_held"
more=$(sed -n 's|.*and [0-9]* more: https://news.example.org/\([^ ]*\)|\1|p' "$T/msg.txt" | head -n 1)
[ "$more" = "net/" ] && [ -f "$W/${more}index.html" ]
ok $? "and_k_more_links_the_topic_archive ($more)"

# A second run writes nothing and keeps every mtime.
stamps "$W" >"$T/stamps1"
gz archive -o "$W" >"$T/run2.out" 2>&1
grep -q ' 0 pages written' "$T/run2.out"
ok $? "second_run_writes_0_pages"
stamps "$W" >"$T/stamps2"
cmp -s "$T/stamps1" "$T/stamps2"
ok $? "second_run_keeps_every_mtime"

# A new misc entry rewrites the misc page and the index, nothing else.
write_misc "Fresh misc news"
gz collect >/dev/null 2>&1
gz archive -o "$W" >"$T/run3.out" 2>&1
grep -q ' 2 pages written' "$T/run3.out"
ok $? "a_new_entry_rewrites_2_pages"
sed 's/^/#   /' "$T/run3.out"
stamps "$W" >"$T/stamps3"
changed=$(diff "$T/stamps2" "$T/stamps3" | sed -n 's/^> \([^ ]*\) .*/\1/p' | sort | tr '\n' ' ')
is "$changed" "index.html misc/index.html " "only_the_index_and_misc_page_changed"

# Fewer pages: gazette removes its own stale pages and nothing else.
echo mine >"$W/net/page/notes.txt"
echo mine >"$W/keep.html"
sed 's/^page_size = 20/page_size = 50/' "$T/gazette.conf" >"$T/c2" &&
    mv "$T/c2" "$T/gazette.conf"
gz archive -o "$W" >"$T/run4.out" 2>&1
[ ! -e "$W/net/page/2.html" ] && [ ! -e "$W/net/page/3.html" ] &&
    grep -q '2 removed' "$T/run4.out"
ok $? "pages_that_no_longer_exist_are_removed"
[ -f "$W/net/page/notes.txt" ] && [ -f "$W/keep.html" ]
ok $? "files_gazette_did_not_write_stay"
! grep -q 'class="pager"' "$W/net/index.html"
ok $? "a_single_page_has_no_pager"

# Many pages: the first, the last, and two each side of the current.
sed 's/^page_size = 50/page_size = 2/' "$T/gazette.conf" >"$T/c2" &&
    mv "$T/c2" "$T/gazette.conf"
gz archive -o "$W" >/dev/null 2>&1
is "$(pager "$W/net/page/12.html")" "1 10 11 12 13 14 23 current=12" \
    "a_long_pager_shows_both_ends_and_the_neighbours"
is "$(pager "$W/net/index.html")" "1 2 3 23 current=1" \
    "the_first_page_pager_shows_the_last"
is "$(grep -c 'class="gap"' "$W/net/page/12.html")" 2 \
    "gaps_are_marked_with_an_ellipsis"

# The operator's template folder overrides the archive's templates.
mkdir -p "$T/tpl" && cp "$top_srcdir"/templates/* "$T/tpl/" &&
    sed -i 's|<main class="wrap">|<main class="wrap"><p>OPERATOR-MARK</p>|' \
    "$T/tpl/archive-page.html"
sed "s|^template_dir = .*|template_dir = $T/tpl|" "$T/gazette.conf" >"$T/c3"
"$GAZETTE" --config "$T/c3" archive -o "$T/www3" >/dev/null 2>&1 &&
    grep -q OPERATOR-MARK "$T/www3/net/index.html" &&
    ! grep -q OPERATOR-MARK "$T/www3/index.html"
ok $? "template_dir_overrides_the_archive_templates"
rm "$T/tpl/archive-issue.html"
printf '{{#broken}}\n' >"$T/tpl/archive-page.html"
"$GAZETTE" --config "$T/c3" archive -o "$T/www3" 2>"$T/tpl.err"
is "$?" 78 "a_broken_archive_template_exits_78"
grep -q 'archive-page.html:' "$T/tpl.err"
ok $? "the_error_names_the_template"

# An empty database: an index that says so, and nothing else.
gz --db "$T/empty.db" archive -o "$T/empty" >/dev/null 2>&1 &&
    grep -q 'No topics yet' "$T/empty/index.html" &&
    is_files=$(find "$T/empty" -type f | wc -l) && [ "$is_files" -eq 2 ]
ok $? "an_empty_database_gives_an_index_and_the_manifest"

# [archive] dir is the default folder; an unwritable folder exits 73.
printf 'dir = www2\n' >>"$T/gazette.conf"
gz archive >/dev/null 2>&1 && [ -f "$T/www2/index.html" ]
ok $? "archive_dir_from_the_configuration"
touch "$T/afile"
gz archive -o "$T/afile/www" 2>"$T/err.out"
is "$?" 73 "unwritable_folder_exits_73"
grep -q "afile" "$T/err.out"
ok $? "the_error_names_the_folder"

# Well-formed HTML5: a doctype and balanced elements on every page.
"$PY" - "$W" >"$T/html.check" 2>&1 <<'PYEOF'
import html.parser, os, sys
VOID = {"meta", "link", "br", "img", "hr", "input", "source", "wbr"}
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.stack = []
    def handle_starttag(s, t, a):
        if t not in VOID: s.stack.append(t)
    def handle_endtag(s, t):
        assert s.stack and s.stack[-1] == t, (t, s.stack[-3:])
        s.stack.pop()
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        if not f.endswith(".html") or f == "keep.html": continue
        path = os.path.join(root, f)
        text = open(path, encoding="utf-8").read()
        assert text.startswith("<!DOCTYPE html>"), path
        p = P(); p.feed(text); p.close()
        assert not p.stack, (path, p.stack)
        assert "<script" not in text and "http://" not in text.split("<main")[0], path
PYEOF
ok $? "every_page_is_balanced_html5_without_scripts"
sed 's/^/#   /' "$T/html.check"

# Bash completion offers the command, and folders (not files) for -o.
if command -v bash >/dev/null 2>&1; then
	mkdir -p "$T/bin" && ln -sf "$GAZETTE" "$T/bin/gazette"
	complete_line() {
		(cd "$T" && PATH=$T/bin:$PATH GAZETTE_DB=$T/gazette.db bash -c '. "$1"
COMP_LINE=$2
COMP_POINT=${#COMP_LINE}
read -ra COMP_WORDS <<<"$COMP_LINE"
case $COMP_LINE in *" ") COMP_WORDS+=("") ;; esac
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_gazette
[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
		    sh "$top_srcdir/contrib/bash-completion/gazette" "$1")
	}
	is "$(complete_line 'gazette arch')" "archive " "completion_offers_archive"
	is "$(complete_line 'gazette archive -o a')" "" \
	    "completion_offers_no_file_for_the_folder"
	is "$(complete_line 'gazette archive --output ww')" "www www2 www3 " \
	    "completion_offers_folders_for_output"
fi

done_testing
