#!/bin/sh
# Install the Debian 12 packages gazette needs to build, test and run,
# skipping what is already there.  Run it as root, or as a user who may use
# sudo: it asks sudo for root itself when it needs to install something.
#
#   contrib/install-deps.sh          build, test and run
#   contrib/install-deps.sh --bench  also the peers the benchmarks measure
set -eu

# Build: the compiler, autotools and one -dev package per library.
packages="build-essential autoconf automake pkg-config
libcurl4-gnutls-dev libxml2-dev libsqlite3-dev libetpan-dev libinih-dev
libjansson-dev libgnutls28-dev libidn2-dev libopendkim-dev libcmark-dev
libcsv-dev libuchardet-dev ca-certificates"
# Tests: the real servers and checkers they run on 127.0.0.1.
packages="$packages python3 python3-aiosmtpd python3-dkim python3-brotli chromium postfix
lighttpd dovecot-imapd spamassassin"
# collect-http2.sh serves feeds over HTTPS and HTTP/2 from lighttpd;
# curl waits for lighttpd to answer there and in cgi.sh.
packages="$packages lighttpd-mod-openssl curl"
# The man page check renders doc/gazette.1 with groff -ww.
packages="$packages groff-base"
# TLS and AUTH tests: openssl makes their throwaway CA; libetpan does AUTH
# PLAIN and LOGIN through Cyrus SASL's plugins.
packages="$packages openssl libsasl2-modules"
if [ "${1:-}" = "--bench" ]; then
	# lighttpd-mod-deflate: collect.sh serves its feeds gzipped.
	packages="$packages time hyperfine newsboat sfeed libxml2-utils
lighttpd-mod-deflate"
fi

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
	    missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "install-deps: everything is installed"
	exit 0
fi
echo "install-deps: installing$missing"
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "install-deps: installing needs root, and sudo is not there;" \
		    "run this script as root" >&2
		exit 77
	fi
	exec sudo "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# postfix is here for its smtp-sink (the SMTP fault tests).  "No
# configuration" leaves it without a main.cf, so it never starts a mail
# server on port 25; the tests run smtp-sink on ports of their own.
echo "postfix postfix/main_mailer_type select No configuration" |
    debconf-set-selections
# lighttpd, dovecot and spamassassin are daemons the tests start by hand
# with configurations of their own; keep their packages from starting
# them system-wide while installing (policy-rc.d exit 101 = "not now").
guard=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
	guard=/usr/sbin/policy-rc.d
	printf '#!/bin/sh\nexit 101\n' >"$guard"
	chmod 755 "$guard"
	trap 'rm -f "$guard"' EXIT
fi
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
