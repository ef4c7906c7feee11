#!/bin/sh
# Install the Debian 12 packages gazette needs to build, test and run,
# skipping what is already there.  Run as root (or through sudo).
set -eu

packages="build-essential autoconf automake pkg-config
libcurl4-gnutls-dev libxml2-dev libsqlite3-dev libetpan-dev libinih-dev
libjansson-dev ca-certificates python3 python3-aiosmtpd
chromium postfix"

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
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# postfix is here for its smtp-sink (the SMTP fault tests).  "No
# configuration" leaves it without a main.cf, so it never starts a mail
# server on port 25; the tests run smtp-sink on ports of their own.
echo "postfix postfix/main_mailer_type select No configuration" |
    debconf-set-selections
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
