#!/bin/sh
# collect over HTTPS and HTTP/2 from a real server: Debian's lighttpd with
# mod_openssl (lighttpd-mod-openssl) on 127.0.0.1, its certificate made by
# a throwaway CA that gazette trusts through [collect] ca_file.  lighttpd's
# access log shows the protocol of every request: they must be HTTP/2.0,
# and the items must be stored, conditional GETs (304) included.  Without
# ca_file, or with another CA in it, the certificate is refused.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

command -v lighttpd >/dev/null 2>&1 || skip_all "lighttpd is not installed"
[ -f /usr/lib/lighttpd/mod_openssl.so ] ||
    skip_all "lighttpd-mod-openssl is not installed"
command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"
command -v openssl >/dev/null 2>&1 || skip_all "openssl is not installed"

test_pki feeds.test || { echo "Bail out! test CA"; exit 1; }
mkdir -p "$T/www"
for n in 1 2 3; do
	rss_feed "Feed $n" "h$n-a|Feed $n first|https://h$n.example.org/a" \
	    "h$n-b|Feed $n second|https://h$n.example.org/b" >"$T/www/f$n.xml"
done
PORT=$(free_port)
base=https://127.0.0.1:$PORT
# HTTP/2 is lighttpd 1.4.69's default; said here so that the test does
# not rest on a default.
lighttpd_conf "$T/lighttpd.conf" "$PORT" "$T/www" mod_openssl mod_accesslog
cat >>"$T/lighttpd.conf" <<CONF
server.feature-flags = ("server.h2proto" => "enable")
ssl.engine = "enable"
ssl.pemfile = "$C/srv.pem"
ssl.privkey = "$C/srv.key"
accesslog.filename = "$T/access.log"
accesslog.format = "%r %>s"
mimetype.assign = (".xml" => "application/rss+xml")
static-file.etags = "enable"
CONF
start_lighttpd "$T/lighttpd.conf" "$base/" --cacert "$C/ca.pem" ||
    { echo "Bail out! lighttpd"; exit 1; }

write_config "$T/gazette.conf" 25
printf '\n[collect]\nca_file = %s\n' "$C/ca.pem" >>"$T/gazette.conf"

# access_log: the requests so far, as "METHOD PATH PROTOCOL STATUS"
# (lighttpd buffers its log; a SIGHUP writes it out).
access_log() {
	kill -HUP "$LIGHTTPD_PID"
	i=0
	while [ "$(wc -l <"$T/access.log" 2>/dev/null || echo 0)" -lt "$1" ]; do
		i=$((i + 1))
		[ $i -gt 50 ] && break
		sleep 0.1
	done
	cat "$T/access.log"
}

gz topic add news >/dev/null 2>&1
gz feed add "$base/f1.xml" --topic news >"$T/add.out" 2>&1
ok $? "feed_add_checks_an_https_feed_with_the_ca_file"
for n in 2 3; do
	gz feed add "$base/f$n.xml" --topic news --no-check >/dev/null 2>&1
done
gz collect --json >"$T/c1.json" 2>"$T/c1.err"
ok $? "collect_over_https_succeeds"
is "$(sql "SELECT count(*) FROM items")" 6 "items_of_every_feed_are_stored"
is "$(sql "SELECT group_concat(last_status) FROM feeds")" "200,200,200" \
    "every_feed_answered_200"
access_log 4 >"$T/log1"
is "$(grep -c '^GET /f[123]\.xml HTTP/2\.0 200$' "$T/log1")" 4 \
    "feed_add_and_collect_requests_were_http2"
! grep -v ' HTTP/2\.0 ' "$T/log1" | grep -q '^GET /f'
ok $? "no_feed_request_fell_back_to_http1"

: >"$T/access.log"
gz collect --all --json >"$T/c2.json" 2>"$T/c2.err"
ok $? "second_collect_succeeds"
access_log 3 >"$T/log2"
is "$(grep -c '^GET /f[123]\.xml HTTP/2\.0 304$' "$T/log2")" 3 \
    "conditional_gets_over_http2_get_304"
is "$(sql "SELECT count(*) FROM items")" 6 "304s_store_nothing_twice"

gz parse "$base/f2.xml" >"$T/parse.out" 2>&1
grep -q "Feed 2 first" "$T/parse.out"
ok $? "parse_reads_an_https_url_with_the_ca_file"

# Without the CA, or with another one, the certificate is refused and the
# feed's error says so.
sed -i '/^ca_file = /d' "$T/gazette.conf"
gz collect --all >"$T/noca.out" 2>&1
is "$?" 1 "without_ca_file_the_test_ca_is_not_trusted"
grep -qi 'certificate\|issuer' "$T/noca.out"
ok $? "the_error_names_the_certificate"
printf 'ca_file = %s\n' "$C/other.pem" >>"$T/gazette.conf"
gz collect --all >"$T/other.out" 2>&1
is "$?" 1 "a_ca_file_of_another_ca_is_refused"
is "$(sql "SELECT count(*) FROM items")" 6 "refused_fetches_store_nothing"

done_testing
