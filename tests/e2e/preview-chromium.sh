#!/bin/sh
# The HTML preview in a real browser (Debian's headless Chromium): it
# renders to a picture, logs no console errors, carries no scripts, loads
# nothing from elsewhere, and nothing in it is wider than a 600 px mail
# column.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

[ -x "$CHROMIUM" ] || skip_all "Debian's chromium is not installed"

write_local_config "$T/gazette.conf"
mkdir -p "$T/www"
long="Aheadlinewithaverylongwordthatnobrowsercanbreakanywhereunlessthetemplatesaysso"
rss_feed "Example Corp Engineering Blog - Infrastructure and Reliability" \
    "n1|$long and more words after it|https://net.example.org/1" \
    "n2|QUIC in practice|https://net.example.org/2" >"$T/www/net.xml"
gz topic add net --name Networking >/dev/null 2>&1
gz feed add "file://$T/www/net.xml" --topic net >/dev/null 2>&1
gz subscriber add ada@example.org --name Ada --topic net 2>/dev/null
gz collect >/dev/null 2>&1
gz preview ada@example.org -o "$T/preview.html" 2>/dev/null
ok $? "preview_is_written"

! grep -qi '<script' "$T/preview.html"
ok $? "preview_has_no_scripts"
! grep -Eqi '(src|background)="?(https?:)?//' "$T/preview.html"
ok $? "preview_loads_nothing_from_elsewhere"

browse --screenshot="$T/shot.png" --window-size=600,2000 \
    "file://$T/preview.html" >"$T/shot.log" 2>&1
"$PY" - "$T/shot.png" <<'PYEOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert (w, h) == (600, 2000), (w, h)
assert len(data) > 5000, "suspiciously small: %d bytes" % len(data)
PYEOF
ok $? "preview_renders_to_a_600_by_2000_png"

# Console errors: Chromium logs them as CONSOLE lines.  A page with a
# broken script first shows that the check would see one.
printf '<html><body><script>nosuchfunction();</script></body></html>\n' \
    >"$T/broken.html"
browse --enable-logging=stderr --v=0 --dump-dom --virtual-time-budget=3000 \
    "file://$T/broken.html" >/dev/null 2>"$T/broken.log"
grep -q 'CONSOLE.*Uncaught' "$T/broken.log"
ok $? "console_check_sees_an_error_in_a_broken_page"
browse --enable-logging=stderr --v=0 --dump-dom --virtual-time-budget=3000 \
    "file://$T/preview.html" >/dev/null 2>"$T/console.log"
! grep -E 'CONSOLE|Uncaught' "$T/console.log"
ok $? "preview_logs_no_console_errors"

# Widths: a copy of the preview with a script that measures every element
# and writes the widest into the page, read back through --dump-dom.
sed 's|</body>|<script>\
window.addEventListener("load", function () {\
	var max = 0, tag = "";\
	document.querySelectorAll("body *").forEach(function (e) {\
		var w = e.getBoundingClientRect().width;\
		if (w > max) { max = w; tag = e.tagName; }\
	});\
	var p = document.createElement("pre");\
	p.textContent = "MAXWIDTH=" + Math.ceil(max) + " TAG=" + tag +\
	    " SCROLLWIDTH=" + document.documentElement.scrollWidth;\
	document.body.appendChild(p);\
});\
</script></body>|' "$T/preview.html" >"$T/measure.html"
browse --window-size=600,2000 --dump-dom --virtual-time-budget=3000 \
    "file://$T/measure.html" >"$T/measure.dom" 2>"$T/measure.log"
measured=$(sed -n 's/.*MAXWIDTH=\([0-9]*\) TAG=\([A-Z0-9]*\) SCROLLWIDTH=\([0-9]*\).*/\1 \2 \3/p' \
    "$T/measure.dom")
diag "widest element: $measured"
set -- $measured
[ $# -eq 3 ] && [ "$1" -gt 0 ] && [ "$1" -le 600 ]
ok $? "no_element_is_wider_than_600_px"
[ $# -eq 3 ] && [ "$3" -le 600 ]
ok $? "preview_needs_no_horizontal_scrolling_at_600_px"

done_testing
