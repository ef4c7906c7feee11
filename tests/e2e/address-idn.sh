#!/bin/sh
# Internationalized domains: stored in A-label (xn--) form, so the same
# domain typed in Unicode or in ASCII is one subscriber; invalid ones and
# non-ASCII local parts are refused with a reason.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$T" || exit 1
export GAZETTE_DB="$T/i.db"
unset GAZETTE_CONF

g() {
	"$GAZETTE" "$@"
}

g topic add news >/dev/null 2>&1
g subscriber add user@bücher.example --topic news >out 2>err
ok $? "an address with a Unicode domain is added"
is "$(g subscriber list --json | "$PY" -c 'import json, sys
print(" ".join(s["email"] for s in json.load(sys.stdin)))')" \
    "user@xn--bcher-kva.example" "the domain is stored in A-label form"
g subscriber add user@xn--bcher-kva.example --topic news >out 2>err
is $? 65 "the same domain in A-label form is refused"
grep -qi "already" err
ok $? "refused as a duplicate"
g subscriber add USER@BÜCHER.Example --topic news >out 2>err
is $? 65 "the same address in other case is a duplicate too"
g subscriber show user@Bücher.example >out 2>err
ok $? "a subscriber is found by the Unicode form of the domain"
g subscriber add a@-bad-.com --topic news >out 2>err
is $? 65 "a label with hyphens at the ends is refused"
g subscriber add a@xn--zz.example --topic news >out 2>err
is $? 65 "an invalid A-label is refused"
grep -q "a@xn--zz.example" err
ok $? "the refusal names the address"
g subscriber add jörg@example.org --topic news >out 2>err
is $? 65 "a non-ASCII local part is refused"
grep -q "needs SMTPUTF8, not supported" err
ok $? "the refusal says it needs SMTPUTF8"
is "$(g subscriber list --json | "$PY" -c 'import json, sys
print(len(json.load(sys.stdin)))')" 1 "only the first address was added"

done_testing
