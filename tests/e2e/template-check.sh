#!/bin/sh
# gazette template check: every syntax error reported as FILE:LINE:COL,
# exit 65 on errors and 66 when a template is missing.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$T" || exit 1
unset GAZETTE_CONF
cp -R "$top_srcdir/templates" good

"$GAZETTE" template check good >"$T/good.out" 2>&1
ok $? "shipped_templates_pass_the_check"

cp -R good unclosed
printf '{{title}}\n{{#topics}}\n== {{name}} ==\n' >unclosed/digest.txt
"$GAZETTE" template check unclosed >"$T/unclosed.out" 2>"$T/unclosed.err"
is "$?" 65 "unclosed_section_exits_65"
is "$(cat "$T/unclosed.out")" \
    "unclosed/digest.txt:2:1: unclosed section {{#topics}}" \
    "unclosed_section_is_reported_at_its_file_line_and_column"

cp -R good mismatched
printf '<ul>\n{{#topics}}<li>{{name}}\n  {{/entries}}</ul>\n' \
    >mismatched/digest.html
"$GAZETTE" template check mismatched >"$T/mismatched.out" 2>/dev/null
is "$?" 65 "mismatched_close_tag_exits_65"
grep -q '^mismatched/digest.html:3:3: closing tag {{/entries}} does not match open section {{#topics}}$' \
    "$T/mismatched.out"
ok $? "mismatched_close_tag_names_both_tags_and_its_position"

cp -R good partial
printf 'fine\n{{^x}}\n' >partial/footer.mustache
printf 'also {{fine}}\n' >partial/header.mustache
"$GAZETTE" template check partial >"$T/partial.out" 2>/dev/null
is "$?" 65 "broken_partial_exits_65"
is "$(cat "$T/partial.out")" \
    "partial/footer.mustache:2:1: unclosed section {{^x}}" \
    "partials_are_checked_too"

cp -R unclosed twoerrors
cp mismatched/digest.html twoerrors/
"$GAZETTE" template check twoerrors >"$T/two.out" 2>/dev/null
is "$(wc -l <"$T/two.out")" 2 "every_broken_file_is_reported_in_one_run"

cp -R good missing
rm missing/subject.txt
"$GAZETTE" template check missing >"$T/missing.out" 2>/dev/null
is "$?" 66 "missing_template_exits_66"
grep -q '^missing/subject.txt: missing' "$T/missing.out"
ok $? "missing_template_is_named"

"$GAZETTE" template check >/dev/null 2>&1
is "$?" 64 "template_check_without_dir_is_a_usage_error"

done_testing
