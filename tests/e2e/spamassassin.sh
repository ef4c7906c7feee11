#!/bin/sh
# Deliverability: a real digest (the demo feeds, DKIM-signed, through the
# Maildir transport) scored by SpamAssassin with local tests only.  Every
# message must score at most 0.5; the rules that fired are printed.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

command -v spamassassin >/dev/null 2>&1 ||
    skip_all "spamassassin is not installed"
FEEDS=$top_srcdir/contrib/demo/feeds
[ -d "$FEEDS" ] || skip_all "demo feeds not found"

write_local_config "$T/gazette.conf"
sed -i 's/^max_items_per_topic = 3$/max_items_per_topic = 10/' \
    "$T/gazette.conf"
cd "$T" || exit 1
gz dkim keygen -o "$T/dkim.pem" >/dev/null 2>&1
ok $? "keygen_makes_the_signing_key"
printf '\n[dkim]\nkey_file = dkim.pem\n' >>"$T/gazette.conf"

gz topic add networking --name Networking >/dev/null 2>&1
gz topic add security --name Security >/dev/null 2>&1
gz feed add "file://$FEEDS/networking.xml" --topic networking >/dev/null 2>&1
gz feed add "file://$FEEDS/security.xml" --topic security >/dev/null 2>&1
gz subscriber add ada@example.org --name 'Ada Lovelace' \
    --topic networking 2>/dev/null
gz subscriber add zoe@example.org --name 'Zoë Müller' \
    --topic networking --topic security 2>/dev/null
gz run >"$T/run.out" 2>&1
ok $? "run_delivers_the_digests_into_the_maildir"
is "$(ls "$T/maildir/new" | wc -l)" 2 "one_message_per_subscriber"

# SpamAssassin wants a home for its user preferences.
mkdir -p "$T/home"
for m in "$T"/maildir/new/*; do
	HOME=$T/home spamassassin -L -t <"$m" >"$T/scored.eml" 2>"$T/sa.err"
	"$PY" - "$T/scored.eml" >"$T/status" <<'PYEOF'
import email, re, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
st = re.sub(r",\s+", ",", " ".join(m["X-Spam-Status"].split()))
score = re.search(r"score=(-?[0-9.]+)", st).group(1)
tests = re.search(r"tests=(\S*)", st)
print(score)
print(tests.group(1) if tests else "none")
PYEOF
	score=$(sed -n 1p "$T/status")
	rules=$(sed -n 2p "$T/status")
	to=$(grep -m 1 '^To:' "$m" | sed 's/.*<\(.*\)>.*/\1/')
	diag "$to: score $score, rules: $rules"
	awk -v s="${score:-99}" 'BEGIN { exit !(s + 0 <= 0.5) }'
	ok $? "digest_to_${to%%@*}_scores_at_most_0.5"
	grep -q '^DKIM-Signature:' "$m"
	ok $? "digest_to_${to%%@*}_is_dkim_signed"
done

done_testing
