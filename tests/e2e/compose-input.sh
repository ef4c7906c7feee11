#!/bin/sh
# compose-input: bad input on the way from entries to a message: broken,
# unknown or missing templates, entries with no title or no link, a huge
# entry body.  Each is a clear error or a sensible fallback, never a crash
# or a half-built message.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

write_local_config "$T/gazette.conf"
mkdir -p "$T/www" "$T/maildir" "$T/tpl"
big=$("$PY" -c 'print("&lt;p&gt;" + "word " * (5 * 1024 * 1024 // 5) + "&lt;/p&gt;")')
{
	printf '<?xml version="1.0" encoding="utf-8"?>\n'
	printf '<rss version="2.0"><channel><title>Odd Feed</title>\n'
	printf '<link>https://odd.example.org/</link>\n'
	printf '<item><guid>e1</guid><title></title>'
	printf '<link>https://odd.example.org/untitled</link>'
	printf '<description>An entry without a title.</description></item>\n'
	printf '<item><guid>e2</guid><title>Linkless entry</title>'
	printf '<description>An entry without a link.</description></item>\n'
	printf '<item><guid>e3</guid><title>Huge entry</title>'
	printf '<link>https://odd.example.org/huge</link><description>%s' "$big"
	printf '</description></item>\n'
	printf '</channel></rss>\n'
} >"$T/www/odd.xml"
cat >>"$T/gazette.conf" <<CONF

[collect]
max_size = 20M
CONF
gz topic add odd --name Oddities >/dev/null 2>&1
gz feed add "file://$T/www/odd.xml" --topic odd >/dev/null 2>&1
gz subscriber add ada@example.org --topic odd 2>/dev/null
gz collect >/dev/null 2>&1
gz compose --now >/dev/null 2>&1
ok $? "compose_with_odd_entries_exits_zero"

use_templates() {	# use_templates DIR
	sed -i "s|^template_dir = .*|template_dir = $1|" "$T/gazette.conf"
}
queued() {
	"$PY" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "select count(*) from digests where state = ?", ("queued",)).fetchone()[0])' \
	    "$T/gazette.db"
}

# send_refused WHAT: send fails, without crashing; its errors in WHAT.err.
send_refused() {
	gz send 2>"$T/$1.err"
	rc=$?
	[ "$rc" -ne 0 ] && [ "$rc" -lt 128 ]
}

# A template with an unclosed section: send names it, sends nothing.
cp "$top_srcdir"/templates/* "$T/tpl/"
printf '{{#topics}}\n{{name}}\n' >"$T/tpl/digest.txt"
use_templates "$T/tpl"
send_refused unclosed
ok $? "unclosed_section_fails_send_without_crashing"
grep -q "digest.txt:[0-9]*:[0-9]*:" "$T/unclosed.err"
ok $? "unclosed_section_error_names_file_line_and_column"
is "$(ls "$T/maildir/new" 2>/dev/null | wc -l)" 0 "unclosed_section_sends_nothing"
is "$(queued)" 1 "unclosed_section_leaves_the_digest_queued"

# A missing template file: named, nothing sent.
rm "$T/tpl/digest.txt"
send_refused missing
ok $? "missing_template_fails_send_without_crashing"
grep -q "digest.txt" "$T/missing.err"
ok $? "missing_template_is_named"
is "$(queued)" 1 "missing_template_leaves_the_digest_queued"

# An unknown partial renders as nothing, as mustache says.
cp "$top_srcdir/templates/digest.txt" "$T/tpl/"
sed -i 's/^{{#topics}}$/{{>nosuchpartial}}{{#topics}}/' "$T/tpl/digest.txt"
gz preview ada@example.org --eml "$T/partial.eml" 2>"$T/partial.err"
ok $? "unknown_partial_renders_as_nothing"

use_templates "$top_srcdir/templates"
gz send >/dev/null 2>&1
ok $? "send_with_the_shipped_templates_exits_zero"
msg=$(ls "$T"/maildir/new/* 2>/dev/null | head -n 1)
[ -n "$msg" ]
ok $? "the_odd_digest_is_delivered"
"$PY" - "$msg" "$T/odd" <<'PYEOF'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"),
                                   policy=email.policy.default)
open(sys.argv[2] + ".html", "w").write(m.get_body(("html",)).get_content())
open(sys.argv[2] + ".txt", "w").write(m.get_body(("plain",)).get_content())
PYEOF
ok $? "the_odd_digest_parses_as_mime"
grep -q "(untitled)" "$T/odd.html" && grep -q "(untitled)" "$T/odd.txt"
ok $? "empty_title_shows_untitled"
grep -q 'href="https://odd.example.org/untitled"' "$T/odd.html"
ok $? "untitled_entry_keeps_its_link"
grep -q "<span[^>]*>Linkless entry</span>" "$T/odd.html" &&
    grep -q "^Linkless entry$" "$T/odd.txt"
ok $? "entry_without_link_is_plain_text_without_reference"
size=$(wc -c <"$msg")
[ "$size" -lt 200000 ]
ok $? "huge_body_is_cut_to_an_excerpt (message $size bytes)"
grep -q "^Huge entry" "$T/odd.txt" && grep -q "word word.*…" "$T/odd.txt"
ok $? "huge_body_excerpt_ends_with_an_ellipsis"

done_testing
