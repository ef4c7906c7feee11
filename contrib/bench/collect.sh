#!/bin/sh
# contrib/bench/collect.sh - how fast gazette collects many feeds over HTTP,
# next to newsboat, sfeed and libxml2's own streaming parser on the same
# feeds in the same run.
#
# Writes N feeds (default 1000; BENCH_FEEDS or the first argument) of M
# items (default 20; BENCH_ITEMS or the second argument) from a fixed seed
# (BENCH_SEED): RSS 2.0 with one feed in five Atom, items of 1-4 KB of
# HTML with entities and non-ASCII text, about 50 KB a feed.  A lighttpd
# of its own on 127.0.0.1 serves them with ETags and gzip (mod_deflate).
# Then it times, each under `time -v`:
#   gazette collect --all   into a fresh database (3 times, each from a
#                           fresh one), then again with nothing changed
#                           (5 times; every feed a conditional GET -> 304);
#                           the median of each is reported
#   newsboat -x reload      reload-threads = BENCH_JOBS, its own HOME
#   sfeed_update            maxjobs = BENCH_JOBS, its own HOME
#   xmllint --stream        one process over every file: the raw parse
#   gazette parse           one process over every file
# gazette collects with --concurrency BENCH_JOBS (default 8) too, so all
# three fetch as many feeds at once.  Prints the figures, the ratios and
# the targets beside them; never passes or fails.  A missing peer is
# skipped with a message.  Everything stays on 127.0.0.1.
#
# usage: contrib/bench/collect.sh [N [M]]   (GAZETTE=path/to/gazette)
set -eu

GAZETTE=${GAZETTE:-./gazette}
case $GAZETTE in /*) ;; *) GAZETTE=$(pwd)/$GAZETTE ;; esac
N=${1:-${BENCH_FEEDS:-1000}}
M=${2:-${BENCH_ITEMS:-20}}
SEED=${BENCH_SEED:-1}
JOBS=${BENCH_JOBS:-8}
LIMIT=${BENCH_TIMEOUT:-300}	# seconds for any one timed run
PY=/usr/bin/python3
LIGHTTPD=/usr/sbin/lighttpd
. "$(dirname "$0")/bench.subr"

for tool in "$BENCH_TIME" "$PY" "$LIGHTTPD" /usr/bin/curl; do
	[ -x "$tool" ] || { echo "collect.sh: $tool is missing" >&2; exit 1; }
done
[ -f /usr/lib/lighttpd/mod_deflate.so ] || {
	echo "collect.sh: lighttpd's mod_deflate is missing" \
	    "(contrib/install-deps.sh --bench)" >&2
	exit 1
}
case $N$M in *[!0-9]*) echo "usage: collect.sh [FEEDS [ITEMS]]" >&2
	exit 64 ;; esac
[ "$N" -ge 1 ] && [ "$N" -le 100000 ] && [ "$M" -ge 1 ] && [ "$M" -le 1000 ] ||
    { echo "collect.sh: 1 to 100000 feeds of 1 to 1000 items" >&2; exit 64; }

bench_scratch

# ---------------------------------------------------------------- feeds
# www/f/NNNNN.rss or .atom, and list (one path a line, relative to www).
mkdir -p "$W/www/f"
"$PY" - "$W/www" "$N" "$M" "$SEED" <<'PYEOF'
import random, sys
from xml.sax.saxutils import escape

www, nfeeds, nitems, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    int(sys.argv[4])
rnd = random.Random(seed)
words = ("network latency packet router kernel scheduler memory compiler "
         "parser protocol certificate mailbox digest archive release patch "
         "maintainer benchmark cache index thread socket buffer queue "
         "the of and to in is for on with that by this from").split()
# Text from elsewhere: accents, Greek, Cyrillic, CJK, a dash and quotes.
foreign = ("café naïve déjà-vu Größe Übersetzung façade smörgåsbord "
           "Ελληνικά δίκτυο русский сеть 日本語 ネットワーク 中文 网络 "
           "한국어 — “quoted” ‘single’ …").split()
entities = ("&amp;nbsp;", "&amp;amp;", "&amp;eacute;", "&amp;#8217;",
            "&amp;#x2014;", "&amp;lt;tag&amp;gt;", "&amp;copy;")

def sentence():
    out = []
    for _ in range(rnd.randint(8, 20)):
        r = rnd.random()
        out.append(rnd.choice(foreign) if r < 0.12 else rnd.choice(words))
    return " ".join(out).capitalize() + "."

def body(target):
    """HTML of about target bytes: paragraphs, links, lists, code."""
    parts, size = [], 0
    while size < target:
        r = rnd.random()
        if r < 0.6:
            p = " ".join(sentence() for _ in range(rnd.randint(1, 4)))
            p = p.replace(" and ", ' <a href="https://example.org/%d?a=1&amp;b=2">and</a> '
                          % rnd.randint(1, 9999), 1)
            s = "<p>%s <em>%s</em></p>" % (p, rnd.choice(foreign))
        elif r < 0.8:
            s = "<ul>%s</ul>" % "".join("<li>%s</li>" % sentence()
                                        for _ in range(rnd.randint(2, 5)))
        elif r < 0.9:
            s = "<pre><code>if (a &lt; b &amp;&amp; c &gt; d) return 0;</code></pre>"
        else:
            s = '<p><img src="https://cdn.example.org/i/%d.png" alt="%s"></p>' \
                % (rnd.randint(1, 99999), rnd.choice(foreign))
        parts.append(s)
        size += len(s.encode())
    return "".join(parts)

def title():
    t = " ".join(rnd.choice(words + foreign) for _ in range(rnd.randint(4, 10)))
    return t.capitalize()

days = "Mon Tue Wed Thu Fri Sat Sun".split()
months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
zones = ("GMT", "+0000", "-0500", "+0100", "+0900", "UT")

def rss(i, out):
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
              ' xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
              '<channel>\n<title>%s &amp; co. #%d</title>\n'
              '<link>https://site%d.example.org/</link>\n'
              '<description>%s</description>\n<language>en</language>\n'
              % (escape(title()), i, i, escape(sentence())))
    for j in range(nitems):
        html = body(rnd.triangular(1024, 4096, 1024))
        d = (j * 7 + i) % 28 + 1
        out.write('<item>\n<title>%s &#8211; part %d</title>\n'
                  '<link>https://site%d.example.org/%d/%s</link>\n'
                  '<guid isPermaLink="false">site%d-%d</guid>\n'
                  '<pubDate>%s, %02d %s 2026 %02d:%02d:00 %s</pubDate>\n'
                  '<dc:creator>%s</dc:creator>\n<category>%s</category>\n'
                  % (escape(title()), j + 1, i, j, rnd.choice(words), i, j,
                     days[d % 7], d, months[(i + j) % 12], j % 24, i % 60,
                     rnd.choice(zones), rnd.choice(foreign), rnd.choice(words)))
        if j % 3 == 0:
            out.write('<description>%s</description>\n'
                      '<content:encoded><![CDATA[%s]]></content:encoded>\n'
                      % (escape(sentence()), html))
        else:
            out.write('<description>%s %s</description>\n'
                      % (escape(html), rnd.choice(entities)))
        out.write('</item>\n')
    out.write('</channel>\n</rss>\n')

def atom(i, out):
    out.write('<?xml version="1.0" encoding="utf-8"?>\n'
              '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">\n'
              '<title type="text">%s #%d</title>\n<id>urn:site%d</id>\n'
              '<link rel="alternate" href="https://site%d.example.org/"/>\n'
              '<updated>2026-11-23T10:00:00Z</updated>\n'
              '<author><name>%s</name></author>\n'
              % (escape(title()), i, i, i, rnd.choice(foreign)))
    for j in range(nitems):
        html = body(rnd.triangular(1024, 4096, 1024))
        out.write('<entry>\n<title type="html">%s &amp;amp; more</title>\n'
                  '<id>tag:site%d.example.org,2026:%d</id>\n'
                  '<link rel="alternate" type="text/html"'
                  ' href="https://site%d.example.org/%d"/>\n'
                  '<published>2026-%02d-%02dT%02d:00:00+02:00</published>\n'
                  '<updated>2026-%02d-%02dT%02d:30:00Z</updated>\n'
                  '<summary>%s</summary>\n'
                  '<content type="html">%s</content>\n</entry>\n'
                  % (escape(title()), i, j, i, j, (i + j) % 12 + 1,
                     j % 28 + 1, j % 24, (i + j) % 12 + 1, j % 28 + 1,
                     j % 24, escape(sentence()), escape(html)))
    out.write('</feed>\n')

with open(www + "/list", "w") as lst:
    for i in range(1, nfeeds + 1):
        name = "f/%05d.%s" % (i, "atom" if i % 5 == 0 else "rss")
        with open(www + "/" + name, "w", encoding="utf-8") as out:
            (atom if i % 5 == 0 else rss)(i, out)
        lst.write(name + "\n")
PYEOF
BYTES=$(cd "$W/www" && xargs cat <list | wc -c)
MB=$(calc "$BYTES / 1048576")
echo "feeds: $N ($(grep -c '\.atom$' "$W/www/list") Atom) of $M items," \
    "$MB MB, $(calc "$BYTES / 1024 / $N") KB a feed on average," \
    "seed $SEED"

# ---------------------------------------------------------------- server
# Compressed copies go to a cache folder, filled by a warm-up pass before
# anything is timed: no client pays for the first gzip of a file.
port=$(free_port)
mkdir -p "$W/deflate"
cat >"$W/lighttpd.conf" <<CONF
server.modules = ("mod_deflate", "mod_accesslog")
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$W/www"
server.errorlog = "$W/lighttpd.err"
server.max-connections = 1024
accesslog.filename = "$W/access.log"
accesslog.format = "%s %b %U"
mimetype.assign = (".rss" => "application/rss+xml",
    ".atom" => "application/atom+xml", "" => "application/octet-stream")
static-file.etags = "enable"
deflate.mimetypes = ("application/rss+xml", "application/atom+xml")
deflate.allowed-encodings = ("gzip", "deflate")
deflate.cache-dir = "$W/deflate"
CONF
"$LIGHTTPD" -D -f "$W/lighttpd.conf" 2>"$W/lighttpd.out" &
httpd_pid=$!
server_pids=$httpd_pid
BASE=http://127.0.0.1:$port
i=0
until curl -s -o /dev/null "$BASE/list"; do
	i=$((i + 1))
	[ $i -gt 100 ] && { cat "$W/lighttpd.out" "$W/lighttpd.err" >&2
	    echo "collect.sh: lighttpd did not start" >&2; exit 1; }
	sleep 0.1
done
# status_counts: "200 x1000, 304 x3; 12.3 MB sent" for the requests since
# the last call, then empties the log.
status_counts() {
	# lighttpd holds its log in a buffer; a SIGHUP writes it out.
	kill -HUP "$httpd_pid"
	sleep 0.3
	awk '{ n[$1]++; b += $2 } END { for (s in n) {
		printf "%s%s x%d", sep, s, n[s]; sep = ", " }
		printf "; %.1f MB sent", b / 1048576 }' "$W/access.log"
	: >"$W/access.log"
}

# One curl over every URL: warms the gzip cache and the page cache.
sed "s|^|url = $BASE/|; a\\
output = /dev/null" "$W/www/list" >"$W/warm.curlrc"
timeout "$LIMIT" curl -s --compressed -K "$W/warm.curlrc"
first=$BASE/$(head -n 1 "$W/www/list")
curl -s --compressed -D "$W/h1" -o /dev/null "$first"
etag=$(sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' "$W/h1" | tr -d '\r')
cond=$(curl -s --compressed -H "If-None-Match: $etag" -o /dev/null \
    -w '%{http_code}' "$first")
echo "server: lighttpd on 127.0.0.1:$port;" \
    "$(grep -i '^content-encoding' "$W/h1" | tr -d '\r' || echo 'no Content-Encoding');" \
    "ETag $etag; If-None-Match -> $cond"
status_counts >/dev/null

# report NAME FEEDS ITEMS: one line of figures from the last timed run.
report() {
	printf '%-36s wall %7.3f s  cpu %6.2f s  peak RSS %5.1f MB  %6s feeds/s  %7s items/s%s\n' \
	    "$1" "$SECS" "$CPU" "$RSS_MB" "$(per_sec "$2" "$SECS")" \
	    "$(per_sec "$3" "$SECS")" "$([ "$RC" -eq 0 ] || echo "  exit $RC")"
}

echo
echo "figures (items/s counts the items the feeds carry, $N x $M)"

# ---------------------------------------------------------------- gazette
export GAZETTE_DB="$W/gazette.db"
unset GAZETTE_CONF
{
	echo '<?xml version="1.0" encoding="UTF-8"?>'
	echo '<opml version="2.0"><head><title>bench</title></head><body>'
	echo '<outline text="bench">'
	sed "s|.*|<outline type=\"rss\" text=\"&\" xmlUrl=\"$BASE/&\"/>|" \
	    "$W/www/list"
	echo '</outline></body></opml>'
} >"$W/feeds.opml"
fresh_db() {	# fresh_db: an empty database holding the feeds
	rm -f "$GAZETTE_DB" "$GAZETTE_DB-wal" "$GAZETTE_DB-shm"
	"$GAZETTE" -q feed import "$W/feeds.opml" >/dev/null
}
# gz_collect LABEL RUNS [fresh]: time RUNS collects (each into a fresh
# database with "fresh"), report the median of each figure, then the last
# run's summary.  gazette's runs are short next to the peers': the median
# keeps one run disturbed by the machine's other work out of the ratios.
gz_collect() {
	: >"$W/gz.runs"
	_i=0
	while [ "$_i" -lt "$2" ]; do
		[ -z "${3:-}" ] || fresh_db
		timed "$W/gz.time" timeout "$LIMIT" "$GAZETTE" -q collect \
		    --all --concurrency "$JOBS" --json >"$W/gz.json" \
		    2>"$W/gz.err"
		echo "$SECS $CPU $RSS_MB $RC" >>"$W/gz.runs"
		_i=$((_i + 1))
	done
	SECS=$(median "$W/gz.runs" 1) CPU=$(median "$W/gz.runs" 2)
	RSS_MB=$(sort -n -k 3 "$W/gz.runs" | tail -n 1 | cut -d ' ' -f 3)
	RC=$(sort -n -k 4 "$W/gz.runs" | tail -n 1 | cut -d ' ' -f 4)
	report "$1 (median of $2)" "$N" "$((N * M))"
	echo "  wall times: $(cut -d ' ' -f 1 "$W/gz.runs" | tr '\n' ' ')s"
	"$PY" -c 'import json, sys
s = json.load(open(sys.argv[1]))
print("  last run: %d fetched, %d not modified, %d failed, %d new items;"
      " server, all runs: %s"
      % (s["fetched"], s["not_modified"], s["failed"], s["new_items"],
         sys.argv[2]))' "$W/gz.json" "$(status_counts)" ||
	    sed -n '1,5p' "$W/gz.err"
}
gz_collect "gazette collect, 1st" 3 fresh
G1_SECS=$SECS G1_CPU=$CPU G1_RSS=$RSS_MB
gz_collect "gazette collect, 2nd" 5
G2_SECS=$SECS G2_CPU=$CPU G2_RSS=$RSS_MB

# ---------------------------------------------------------------- newsboat
NB_SECS="" NB_CPU=""
if command -v newsboat >/dev/null 2>&1; then
	mkdir -p "$W/nb"
	sed "s|^|$BASE/|" "$W/www/list" >"$W/nb/urls"
	echo "reload-threads $JOBS" >"$W/nb/config"
	timed "$W/nb.time" env HOME="$W/nb" timeout "$LIMIT" newsboat \
	    -C "$W/nb/config" -u "$W/nb/urls" -c "$W/nb/cache.db" -x reload \
	    >"$W/nb.out" 2>&1
	report "newsboat -x reload" "$N" "$((N * M))"
	nb_items=$("$PY" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT count(*) FROM rss_item").fetchone()[0])' "$W/nb/cache.db" \
	    2>/dev/null || echo "?")
	echo "  $nb_items items in its cache; server: $(status_counts)"
	NB_SECS=$SECS NB_CPU=$CPU
else
	echo "newsboat: not installed, skipped (contrib/install-deps.sh --bench)"
fi

# ---------------------------------------------------------------- sfeed
SF_SECS="" SF_CPU=""
if command -v sfeed_update >/dev/null 2>&1; then
	mkdir -p "$W/sf"
	{
		echo "sfeedpath=\"$W/sf/feeds\""
		echo "maxjobs=$JOBS"
		echo "feeds() {"
		sed "s|.*|	feed \"&\" \"$BASE/&\"|; s|/|_|" "$W/www/list"
		echo "}"
	} >"$W/sf/sfeedrc"
	timed "$W/sf.time" env HOME="$W/sf" timeout "$LIMIT" sfeed_update \
	    "$W/sf/sfeedrc" >"$W/sf.out" 2>&1
	report "sfeed_update" "$N" "$((N * M))"
	echo "  $(cat "$W/sf/feeds"/* 2>/dev/null | wc -l) items written;" \
	    "server: $(status_counts)"
	SF_SECS=$SECS SF_CPU=$CPU
else
	echo "sfeed_update: not installed, skipped (contrib/install-deps.sh --bench)"
fi

# ---------------------------------------------------------------- parsing
# xmllint and gazette parse: one process each over every file (relative
# names keep the command line short).  Both speeds are MB per CPU second
# (user + sys): parsing is one thread bound by the CPU, and CPU time
# shakes less than wall time on a shared machine.
cd "$W/www"
mb_per_s() {	# mb_per_s MB SECONDS: empty when too fast to time
	awk -v mb="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.2f", mb / s }'
}
XL_MBS=""
if command -v xmllint >/dev/null 2>&1; then
	# shellcheck disable=SC2046
	timed "$W/xl.time" timeout "$LIMIT" xmllint --stream --noout \
	    $(cat list) >"$W/xl.out" 2>&1
	report "xmllint --stream" "$N" "$((N * M))"
	XL_MBS=$(mb_per_s "$MB" "$CPU")
	echo "  $XL_MBS MB/s; $(grep -c . "$W/xl.out" || true) lines of errors"
else
	echo "xmllint: not installed, skipped (contrib/install-deps.sh --bench)"
fi
# shellcheck disable=SC2046
timed "$W/gp.time" timeout "$LIMIT" "$GAZETTE" -q parse $(cat list) \
    >/dev/null 2>"$W/gp.err"
[ "$RC" = 0 ] || echo "  gazette parse failed ($RC): $(head -n 3 "$W/gp.err")"
report "gazette parse" "$N" "$((N * M))"
GP_MBS=$(mb_per_s "$MB" "$CPU")
echo "  ${GP_MBS:-?} MB/s; peak RSS $RSS_MB MB"

# ---------------------------------------------------------------- ratios
# verdict FIGURE OP TARGET: "met" or "missed" (">=" or "<"); nothing when
# the figure is missing.
verdict() {
	[ -n "$1" ] || return 0
	awk -v x="$1" -v op="$2" -v t="$3" 'BEGIN {
	ok = op == ">=" ? x + 0 >= t + 0 : x + 0 < t + 0
	print ok ? "met" : "missed" }'
}
ratio() {	# ratio A B [DECIMALS]: A / B (1 decimal), empty if one is missing
	[ -n "$1" ] && [ -n "$2" ] || return 0
	awk -v a="$1" -v b="$2" -v d="${3:-1}" 'BEGIN {
	if (b > 0) printf "%.*f", d, a / b }'
}
line() {	# line WHAT FIGURE UNIT OP TARGET [NOTE]
	printf '%-40s %8s %-3s target %-2s %-3s %-6s %s\n' "$1" "${2:-n/a}" \
	    "$3" "$4" "$5" "$(verdict "$2" "$4" "$5")" "${6:-}"
}
cpu_too() {	# cpu_too A B: "(CPU time: A / B)", when both are there
	r=$(ratio "$1" "$2")
	[ -z "$r" ] || echo "(CPU time: $r x)"
}
echo
echo "ratios, from this run ($N feeds of $M items, $JOBS fetches at once;" \
    "wall time unless said)"
line "newsboat / gazette, first fetch" "$(ratio "$NB_SECS" "$G1_SECS")" x \
    ">=" 8 "$(cpu_too "$NB_CPU" "$G1_CPU")"
line "sfeed_update / gazette, first fetch" "$(ratio "$SF_SECS" "$G1_SECS")" x \
    ">=" 20 "$(cpu_too "$SF_CPU" "$G1_CPU")"
line "gazette first / second fetch" "$(ratio "$G1_SECS" "$G2_SECS")" x \
    ">=" 20 "$(cpu_too "$G1_CPU" "$G2_CPU")"
line "parse MB/s, gazette / xmllint" \
    "$(ratio "$GP_MBS" "$XL_MBS" 2)" x ">=" 0.5 \
    "(MB per CPU second)"
echo "    gazette ${GP_MBS:-n/a} MB/s, xmllint --stream ${XL_MBS:-n/a} MB/s"
line "gazette collect peak RSS" \
    "$(awk -v a="$G1_RSS" -v b="$G2_RSS" 'BEGIN { print (a > b ? a : b) }')" \
    MB "<" 64
