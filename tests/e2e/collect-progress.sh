#!/bin/sh
# collect's progress bar: on a terminal (a pseudo-terminal from script(1))
# a bar "[###....]  1/4 feeds  2 new" is redrawn in place, as wide as the
# terminal (its window size, else $COLUMNS) less one column, and cleared
# before the summary; with --json, -q, stdout or stderr not a terminal,
# nothing is drawn.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

command -v script >/dev/null 2>&1 || skip_all "script(1) (util-linux) is missing"
mkdir -p "$T/www"
for n in 1 2 3 4; do
	rss_feed "Feed $n" "f$n-a|Feed $n first|https://f$n.example.org/a" \
	    "f$n-b|Feed $n second|https://f$n.example.org/b" >"$T/www/f$n.xml"
done
start_http "$T/www" || exit 1
write_config "$T/gazette.conf" 25
gz topic add news >/dev/null 2>&1
for n in 1 2 3 4; do
	gz feed add "http://127.0.0.1:$HTTP_PORT/f$n.xml" --topic news \
	    --no-check >/dev/null 2>&1
done

# on_tty OUT COLS SHELL-COMMAND: run it on a pseudo-terminal COLS wide
# (0: no window size), all it wrote to OUT.
on_tty() {
	out=$1 cols=$2
	shift 2
	script -qec "stty cols $cols; $*" /dev/null >"$out" 2>&1 </dev/null
}

GZ="\"$GAZETTE\" --config \"$T/gazette.conf\""

# bars FILE: each bar drawn, one per line, without \r and the erase.
bars() {
	"$PY" - "$1" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read().decode()
for seg in data.split("\r"):
    if seg.endswith("\x1b[K") and len(seg) > 3:
        print(seg[:-3])
EOF
}

on_tty "$T/tty.out" 60 "$GZ collect --all --concurrency 1"
ok $? "collect_on_a_terminal_succeeds"
bars "$T/tty.out" >"$T/bars"
grep -q '^\[#*\.*\]  1/4 feeds  2 new$' "$T/bars"
ok $? "bar_shows_feeds_done_and_new_items"
is "$(wc -l <"$T/bars")" 3 "bar_redrawn_after_each_feed_but_the_last"
is "$(awk '{ print length($0) }' "$T/bars" | sort -u)" 59 \
    "bar_is_the_window_width_less_one_column"
# 59 columns less "[", "]  " and "3/4 feeds  6 new": 39, of which 3/4.
is "$(sed -n 's/^\[\(#*\).*3\/4 feeds.*/\1/p' "$T/bars" | tr -d '\n' | wc -c)" \
    29 "bar_fills_in_proportion"
"$PY" - "$T/tty.out" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read().decode()
last = data.rindex("\r[")
rest = data[last:]
sys.exit(0 if "\r\x1b[Kgazette: collect: 4 fetched" in rest else 1)
EOF
ok $? "bar_is_cleared_before_the_summary"
! grep -q "$(printf '\033')\[[0-9;]*m" "$T/tty.out"
ok $? "bar_has_no_colour"

on_tty "$T/cols.out" 0 "COLUMNS=40 $GZ collect --all --concurrency 1"
is "$(bars "$T/cols.out" | awk '{ print length($0) }' | sort -u)" 39 \
    "without_a_window_size_COLUMNS_sets_the_width"
on_tty "$T/narrow.out" 20 "$GZ collect --all --concurrency 1"
is "$(bars "$T/narrow.out" | head -n 1)" "1/4 feeds  0 new" \
    "narrow_terminal_gets_the_counts_without_a_bar"

for case in "json:collect --all --json" "quiet:-q collect --all" \
    "stdout:collect --all >/dev/null"; do
	name=${case%%:*}
	on_tty "$T/$name.out" 60 "$GZ ${case#*:}"
	! grep -q "$(printf '\r')\[" "$T/$name.out"
	ok $? "no_bar_with_$name"
done
gz collect --all 2>&1 | cat >"$T/pipe.out"
! grep -q "$(printf '\r')" "$T/pipe.out"
ok $? "piped_output_carries_no_carriage_return"
grep -q "collect: 0 fetched, 4 not modified" "$T/pipe.out"
ok $? "piped_output_has_the_summary"

done_testing
