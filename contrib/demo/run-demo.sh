#!/bin/sh
# The README's demo: the whole weekly job on the bundled sample feeds.
#
# Creates demo-out/ in the current folder with its own gazette.conf and
# database, adds two topics, two feeds (file:// URLs, allowed for the demo)
# and three subscribers, writes a preview, runs collect + compose + send
# into a local Maildir, and says where everything is.
#
# usage: contrib/demo/run-demo.sh [PATH-TO-GAZETTE]
set -eu

gazette=${1:-./gazette}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$(pwd)/demo-out

rm -rf "$out"
mkdir -p "$out"
cat >"$out/gazette.conf" <<CONF
; written by contrib/demo/run-demo.sh
[general]
database = gazette.db
title = Gazette Demo Weekly
base_url = https://news.example.org

[mail]
from = Gazette Demo Weekly <digest@news.example.org>
transport = maildir
maildir = maildir

[collect]
allow_file = yes

[digest]
template_dir = $top/templates
CONF

g() {
	"$gazette" --config "$out/gazette.conf" "$@"
}

g topic add networking --name Networking
g topic add security --name Security
g feed add "file://$top/contrib/demo/feeds/networking.xml" --topic networking
g feed add "file://$top/contrib/demo/feeds/security.xml" --topic security
g subscriber add ada@example.org --name 'Ada Lovelace' --topic networking
g subscriber add grace@example.org --name 'Grace Hopper' --topic security
g subscriber add zoe@example.org --name 'Zoë Müller' \
    --topic networking --topic security
g collect
g preview zoe@example.org -o "$out/preview.html"
g run

echo
echo "Demo done:"
echo "  digests delivered:  $(ls "$out/maildir/new" | wc -l) messages in $out/maildir/new/"
echo "  preview (HTML):     $out/preview.html"
echo "  database:           $out/gazette.db"
echo "  configuration:      $out/gazette.conf"
