#!/bin/sh
# The web archive in a real browser (Debian's headless Chromium): a topic
# page renders to a picture in light and dark mode, logs no console
# errors, loads nothing from elsewhere, and needs no horizontal scrolling
# in a narrow window.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

[ -x "$CHROMIUM" ] || skip_all "Debian's chromium is not installed"

# is_png FILE W H: a real screenshot of that size.
is_png() {
	"$PY" - "$@" <<'PYEOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert (w, h) == (int(sys.argv[2]), int(sys.argv[3])), (w, h)
assert len(data) > 5000, "suspiciously small: %d bytes" % len(data)
PYEOF
}

write_local_config "$T/gazette.conf"
printf '\n[archive]\npage_size = 4\n' >>"$T/gazette.conf"
mkdir -p "$T/feeds"
long="Aheadlinewithaverylongwordthatnobrowsercanbreakanywhereunlessthepagesaysso"
rss_feed "Example Corp Engineering Blog - Infrastructure and Reliability" \
    "n1|Oldest post|https://net.example.org/1" \
    "n2|QUIC in practice|https://net.example.org/2" \
    "n3|$long and more words|https://net.example.org/3" \
    "n4|Anycast at the edge|https://net.example.org/4" \
    "n5|BGP communities explained|https://net.example.org/5" \
    "n6|Newest post|https://net.example.org/6" >"$T/feeds/net.xml"
gz topic add net --name Networking >/dev/null 2>&1
gz feed add "file://$T/feeds/net.xml" --topic net >/dev/null 2>&1
gz collect >/dev/null 2>&1
gz archive -o "$T/www" >"$T/archive.out" 2>&1
ok $? "archive_is_written"
sed "s/^/#   /" "$T/archive.out"
page=$T/www/net/index.html

[ -f "$page" ] && ! grep -Eqi '(src|href)="?(https?:)?//[^"]*\.(css|js|png|jpg|svg|woff2?)' "$page" &&
    ! grep -qi '<script\|<link ' "$page"
ok $? "page_loads_nothing_from_elsewhere"

screenshot "$T/shot.png" --window-size=1024,1400 "file://$page"
is_png "$T/shot.png" 1024 1400
ok $? "topic_page_renders_to_a_png"
screenshot "$T/dark.png" --force-dark-mode \
    --blink-settings=preferredColorScheme=0 --window-size=375,1400 \
    "file://$page"
is_png "$T/dark.png" 375 1400
ok $? "topic_page_renders_in_dark_mode_on_a_phone"
if [ -n "${ARCHIVE_SHOTS:-}" ]; then
	cp "$T/shot.png" "$ARCHIVE_SHOTS/archive-light.png"
	cp "$T/dark.png" "$ARCHIVE_SHOTS/archive-dark.png"
fi

browse --enable-logging=stderr --v=0 --dump-dom --virtual-time-budget=3000 \
    "file://$page" >/dev/null 2>"$T/console.log"
! grep -E 'CONSOLE|Uncaught' "$T/console.log"
ok $? "page_logs_no_console_errors"

# Widths on a phone: a copy with a script that measures the page.
sed 's|</body>|<script>\
window.addEventListener("load", function () {\
	var p = document.createElement("pre");\
	p.textContent = "SCROLLWIDTH=" + document.documentElement.scrollWidth +\
	    " INNER=" + window.innerWidth +\
	    " BG=" + getComputedStyle(document.body).backgroundColor;\
	document.body.appendChild(p);\
});\
</script></body>|' "$page" >"$T/www/net/measure.html"
browse --window-size=375,1400 --dump-dom --virtual-time-budget=3000 \
    "file://$T/www/net/measure.html" >"$T/measure.dom" 2>"$T/measure.log"
width=$(sed -n 's/.*SCROLLWIDTH=\([0-9][0-9]*\) INNER=\([0-9]*\).*/\1 \2/p' "$T/measure.dom")
diag "scroll width and window width: $width"
set -- $width
# (Chromium lays out --dump-dom at least 500 px wide.)
[ $# -eq 2 ] && [ "$1" -le "$2" ] && [ "$2" -le 500 ]
ok $? "page_needs_no_horizontal_scrolling_in_a_narrow_window"
browse --blink-settings=preferredColorScheme=0 --window-size=375,1400 \
    --dump-dom --virtual-time-budget=3000 \
    "file://$T/www/net/measure.html" >"$T/dark.dom" 2>"$T/dark.log"
bg=$(sed -n 's/.*BG=\(rgb([0-9, ]*)\).*/\1/p' "$T/dark.dom")
diag "dark background: $bg"
[ "$bg" = "rgb(22, 24, 27)" ]
ok $? "dark_mode_uses_the_dark_palette"

done_testing
