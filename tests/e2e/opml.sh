#!/bin/sh
# feed import and feed export: OPML folders and categories become topics,
# a refused file names FILE:LINE and leaves the database as it was, and an
# export imports back into an empty database with the same feeds, titles
# and topics.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$T" || exit 1
export GAZETTE_DB="$T/o.db"
unset GAZETTE_CONF

g() {
	"$GAZETTE" "$@"
}

dump() {
	"$PY" -c 'import sqlite3, sys
for line in sqlite3.connect(sys.argv[1]).iterdump():
    print(line)' "$GAZETTE_DB"
}

# feeds: "URL|title|topic,topic" per feed, sorted, from feed list --json.
feeds() {
	g feed list --json | "$PY" -c 'import json, sys
for f in sorted(json.load(sys.stdin), key=lambda f: f["url"]):
    print("%s|%s|%s" % (f["url"], f["title"], ",".join(sorted(f["topics"]))))'
}

cat >nested.opml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Reader export</title></head>
  <body>
    <outline text="Tech &amp; Science" title="Tech &amp; Science">
      <outline type="rss" text="LWN" xmlUrl="https://lwn.example/rss"
          htmlUrl="https://lwn.example/"/>
      <outline text="Kernel">
        <outline type="rss" text="k" title="Kernel news"
            xmlUrl="https://kernel.example/feed"/>
      </outline>
    </outline>
    <outline text="Morning News">
      <outline type="rss" text="Kernel" xmlUrl="https://kernel.example/feed"/>
    </outline>
    <outline type="rss" text="Essays" xmlUrl="http://essays.example/atom"
        category="/Reading/Long Reads, Bücher"/>
    <outline text="just a note"/>
  </body>
</opml>
EOF

g feed import nested.opml >out 2>err
ok $? "a nested OPML file imports"
grep -q "3 feeds added, 0 updated, 0 unchanged; 5 topics created" err
ok $? "the summary counts feeds added and topics created"
is "$(feeds)" "http://essays.example/atom|Essays|b-cher,long-reads
https://kernel.example/feed|Kernel news|kernel,morning-news,tech-science
https://lwn.example/rss|LWN|tech-science" \
    "folders, nested folders and categories (last path part) become topics"
is "$(g topic list --json | "$PY" -c 'import json, sys
print(" ".join(t["slug"] + "=" + t["name"] for t in json.load(sys.stdin)
    if t["slug"] in ("tech-science", "long-reads")))')" \
    "long-reads=Long Reads tech-science=Tech & Science" \
    "a new topic is named after its folder, its slug derived from the name"
is "$(g feed show https://lwn.example/rss --json | "$PY" -c 'import json, sys
print(json.load(sys.stdin)["site_link"])')" "https://lwn.example/" \
    "htmlUrl is kept as the site link"

# Importing again adds nothing; a feed already there gains topics.
dump >before.sql
g feed import nested.opml 2>err
grep -q "0 feeds added, 0 updated, 3 unchanged; 0 topics created" err
ok $? "importing the same file again adds nothing"
cat >more.opml <<'EOF'
<opml version="2.0"><body>
<outline text="Weekend"><outline text="LWN" xmlUrl="https://lwn.example/rss"/></outline>
</body></opml>
EOF
g feed import --dry-run more.opml 2>err
ok $? "a dry run succeeds"
dump >after.sql
cmp -s before.sql after.sql
ok $? "a dry run changes nothing"
grep -q "dry run, nothing changed: 0 feeds added, 1 updated" err
ok $? "a dry run reports what it would change"
g feed import - <more.opml 2>err
ok $? "an OPML file is read from standard input with -"
is "$(feeds | grep lwn)" "https://lwn.example/rss|LWN|tech-science,weekend" \
    "an existing feed keeps its topics and gains the new folder's"
is "$(g feed list --json | "$PY" -c 'import json, sys
print(len(json.load(sys.stdin)))')" 3 "an existing feed is not added twice"

# Refusals: FILE:LINE: reason, exit 65, nothing changed.
printf 'this is not XML\n' >notxml.opml
printf '<?xml version="1.0"?>\n<opml version="2.0">\n<body>\n<outline text="x" xmlUrl="https://cut.example/"/>\n' >truncated.opml
printf '<opml version="2.0">\n<body>\n<outline text="ok" xmlUrl="https://fine.example/"/>\n<outline text="x" xmlUrl="javascript:alert(1)"/>\n</body></opml>\n' >javascript.opml
cat >bomb.opml <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE opml [
<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<opml version="2.0"><body><outline text="&d;" xmlUrl="https://bomb.example/"/></body></opml>
EOF
cat >external.opml <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE opml [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<opml version="2.0"><body><outline text="&xxe;" xmlUrl="https://xxe.example/"/></body></opml>
EOF
printf '<opml version="2.0">\n<head><title>t</title></head>\n</opml>\n' >nobody.opml

refused() {	# refused FILE LINE REASON
	dump >before.sql
	g feed import "$1" >out 2>err
	rc=$?
	dump >after.sql
	is "$rc" 65 "$1 is refused with exit 65"
	grep -q "$1:$2: $3" err
	ok $? "$1: the error names $1:$2 and says '$3'"
	[ $? -eq 0 ] || sed 's/^/#   /' err
	cmp -s before.sql after.sql
	ok $? "$1: the database is unchanged"
}
refused notxml.opml 1 "not valid XML"
refused truncated.opml 5 "not valid XML"
refused javascript.opml 4 "xmlUrl 'javascript:alert(1)' is not an http"
refused bomb.opml 2 "a DOCTYPE is not allowed"
refused external.opml 2 "a DOCTYPE is not allowed"
refused nobody.opml 1 "<opml> has no <body>"
g feed list --json | grep -q fine.example
ok $(( ! $? )) "no feed of a refused file was added, not even the good ones"

# Round trip: export, import into an empty database, export again.
g feed export -o export.opml
ok $? "feed export -o writes a file"
grep -q '<opml version="2.0">' export.opml && grep -q '<dateCreated>' \
    export.opml
ok $? "the export is OPML 2.0 with a dateCreated"
is "$(grep -c 'xmlUrl="https://kernel.example/feed"' export.opml)" 3 \
    "a feed in three topics appears in each topic's folder"
g topic add lonely --name "Lonely" 2>/dev/null
g feed add --no-check --topic lonely http://untitled.example/x.xml 2>/dev/null
g topic remove --force lonely 2>/dev/null
g feed export >export2.opml
"$PY" -c 'import sys, xml.etree.ElementTree as E
b = E.parse(sys.argv[1]).getroot().find("body")
print(" ".join(o.get("xmlUrl") for o in b if o.get("xmlUrl")))' export2.opml \
    >top.txt
is "$(cat top.txt)" "http://untitled.example/x.xml" \
    "a feed without a topic is written at the top level"
feeds >first.txt
GAZETTE_DB="$T/empty.db" g feed import export2.opml 2>err
ok $? "the export imports into an empty database"
GAZETTE_DB="$T/empty.db" feeds >second.txt
cmp -s first.txt second.txt
ok $? "the round trip keeps every URL, title and topic"
[ $? -eq 0 ] || diff first.txt second.txt | sed 's/^/#   /'
g topic list --json >t1.json
GAZETTE_DB="$T/empty.db" g topic list --json >t2.json
"$PY" -c 'import json, sys
a, b = (sorted((t["slug"], t["name"]) for t in json.load(open(p))
    if t["feeds"]) for p in sys.argv[1:])
sys.exit(a != b)' t1.json t2.json
ok $? "the round trip keeps topic slugs and names"

done_testing
