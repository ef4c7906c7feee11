#!/bin/sh
# The HTML preview in a real browser (Debian's headless Chromium): it
# renders to a picture, logs no console errors, carries no scripts, loads
# nothing from elsewhere, and nothing in it is wider than a 600 px mail
# column, not even a 2000 px picture in an editor's note.
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

screenshot "$T/shot.png" --window-size=600,2000 "file://$T/preview.html"
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

# measure FILE.html [BROWSE-ARGS...]: "WIDEST TAG SCROLLWIDTH IMGWIDTH"
# from a copy of the page with a script that measures every element (and
# the widest picture's own pixels, to show it loaded), read back through
# --dump-dom.
measure() {
	page=$1
	shift
	sed 's|</body>|<script>\
window.addEventListener("load", function () {\
	var max = 0, tag = "", img = 0;\
	document.querySelectorAll("body *").forEach(function (e) {\
		var w = e.getBoundingClientRect().width;\
		if (w > max) { max = w; tag = e.tagName; }\
		if (e.tagName == "IMG" \&\& e.naturalWidth > img)\
			img = e.naturalWidth;\
	});\
	var p = document.createElement("pre");\
	p.textContent = "MAXWIDTH=" + Math.ceil(max) + " TAG=" + tag +\
	    " SCROLLWIDTH=" + document.documentElement.scrollWidth +\
	    " IMG=" + img;\
	document.body.appendChild(p);\
});\
</script></body>|' "$page" >"$page.measure.html"
	browse --window-size=600,2000 --dump-dom --virtual-time-budget=3000 \
	    "$@" "file://$page.measure.html" >"$page.dom" 2>"$page.log"
	sed -n 's/.*MAXWIDTH=\([0-9]*\) TAG=\([A-Z0-9]*\) SCROLLWIDTH=\([0-9]*\) IMG=\([0-9]*\).*/\1 \2 \3 \4/p' \
	    "$page.dom"
}
measured=$(measure "$T/preview.html")
diag "widest element: $measured"
set -- $measured
[ $# -eq 4 ] && [ "$1" -gt 0 ] && [ "$1" -le 600 ]
ok $? "no_element_is_wider_than_600_px"
[ $# -eq 4 ] && [ "$3" -le 600 ]
ok $? "preview_needs_no_horizontal_scrolling_at_600_px"

# An editor's note with a picture 2000 px wide, served over HTTP on
# 127.0.0.1: in the sent digest it fits the column and keeps its alt text.
"$PY" - "$T/www/wide.png" <<'PYEOF'
import struct, sys, zlib
w, h = 2000, 120
def chunk(kind, data):
    c = kind + data
    return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c))
rows = b"".join(b"\0" + b"\x33\x66\x99" * w for _ in range(h))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" +
    chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
    chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PYEOF
start_http "$T/www" || exit 1
printf 'This week in one picture:\n\n![A very wide chart](http://127.0.0.1:%s/wide.png)\n' \
    "$HTTP_PORT" >"$T/note.md"
mkdir -p "$T/maildir"
gz compose --now --note "$T/note.md" >/dev/null 2>&1 && gz send >/dev/null 2>&1
ok $? "digest_with_an_image_note_is_sent"
"$PY" - "$T"/maildir/new/* "$T/note.html" <<'PYEOF'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"),
                                   policy=email.policy.default)
open(sys.argv[2], "w").write(m.get_body(("html",)).get_content())
PYEOF
grep -q '<img [^>]*alt="A very wide chart"' "$T/note.html"
ok $? "note_image_keeps_its_alt_text"
# The picture is on this machine: let the browser reach 127.0.0.1 (the
# later switch overrides browse's).
measured=$(measure "$T/note.html" \
    --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")
diag "widest element with the image: $measured"
set -- $measured
[ $# -eq 4 ] && [ "$4" -eq 2000 ]
ok $? "note_image_loads_at_2000_px"
[ $# -eq 4 ] && [ "$1" -gt 0 ] && [ "$1" -le 600 ] && [ "$3" -le 600 ]
ok $? "a_2000_px_image_is_no_wider_than_600_px"

done_testing
