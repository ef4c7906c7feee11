#!/bin/sh
# doc/gazette.1 against the command table: every command has a heading in
# COMMANDS with its usage line, mentions every long option its --help
# lists, and lists no option (in its heading or its option items) that the
# command does not accept.  The page also renders without groff warnings.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

MAN=$top_srcdir/doc/gazette.1
cd "$T" || exit 1
export GAZETTE_DB="$T/man.db"
unset GAZETTE_CONF

if command -v groff >/dev/null 2>&1; then
	groff -man -ww -z "$MAN" >groff.out 2>&1
	ok $? "groff renders the man page"
	is "$(cat groff.out)" "" "groff -ww has no warning for the man page"
else
	diag "groff is not installed: rendering not checked"
fi
if command -v mandoc >/dev/null 2>&1; then
	mandoc -T lint -W warning "$MAN" >mandoc.out 2>&1
	is "$(cat mandoc.out)" "" "mandoc -T lint has no warning"
fi

"$GAZETTE" help | awk '/^Commands:/ { on = 1; next }
    on && /^  [a-z]/ { sub(/^  /, ""); split($0, a, /  +/); print a[1] }
    on && /^$/ { exit }' >commands
[ -s commands ]
ok $? "gazette help lists the commands"

# The checker prints one line per mismatch; "ok" lines name the checks.
"$PY" - "$MAN" "$GAZETTE" commands <<'PYEOF'
import re, subprocess, sys

man, gazette, listing = sys.argv[1:4]
lines = open(man, encoding="utf-8").read().split("\n")
commands = [c.strip() for c in open(listing) if c.strip()]


def plain(s):
    """roff text as a reader sees it: no font escapes, '-' for '\\-'."""
    s = re.sub(r"\\f[BIRP]", "", s)
    s = s.replace("\\-", "-").replace("\\(aq", "'")
    return " ".join(s.split())


def run(*args):
    p = subprocess.run([gazette, *args], capture_output=True, text=True,
                       timeout=30, stdin=subprocess.DEVNULL)
    return p.stdout, p.stderr


# Sections: a ".B NAME ..." line right after .TP inside COMMANDS starts one;
# it runs to the next such heading or the next .SH.
heads = []
in_commands = False
for i, l in enumerate(lines):
    if l.startswith(".SH"):
        in_commands = l.strip() == ".SH COMMANDS"
        heads.append((i, None))
    elif in_commands and l.startswith(".B ") and i > 0 and \
            lines[i - 1] == ".TP" and re.match(r"[a-z]", plain(l[3:])):
        heads.append((i, plain(l[3:])))


def owns(cmd, text):
    return text == cmd or text.startswith(cmd + " ")


def sections(cmd):
    """(heading, body lines) of every heading for cmd."""
    out = []
    for k, (i, text) in enumerate(heads):
        if text is None:
            continue
        if not owns(cmd, text):
            continue
        # "bounces parse ..." is the heading of bounces parse, not bounces.
        if any(len(c) > len(cmd) and owns(c, text) for c in commands):
            continue
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        out.append((text, lines[i + 1:end]))
    return out


def help_options(helptext):
    """{long: takes_value} from the Options: section of --help."""
    opts = {}
    on = False
    for l in helptext.split("\n"):
        if l.startswith("Options:"):
            on = True
            continue
        m = re.match(r"^ +(?:-[A-Za-z], )?--([a-z][a-z-]*)( [A-Z])?", l)
        if on and m:
            opts[m.group(1)] = m.group(2) is not None
    return opts


def doc_options(head, body):
    """Options the man page lists for a command: in its heading and its
    option items (.B \\-x, \\-\\-long), not prose cross-references."""
    found = set(re.findall(r"--([a-z][a-z-]*)", head))
    for k, l in enumerate(body):
        if l.startswith(".B ") and k > 0 and body[k - 1] == ".TP":
            found |= set(re.findall(r"^(?:-[A-Za-z], )?--([a-z][a-z-]*)",
                                    plain(l[3:])))
    return found


bad = 0
for cmd in commands:
    out, _ = run(*cmd.split(), "--help")
    usage = out.split("\n")[0]
    if not usage.startswith("usage: gazette "):
        print("%s: --help has no usage line" % cmd)
        bad += 1
        continue
    usage = " ".join(usage[len("usage: gazette "):].split())
    secs = sections(cmd)
    if not secs:
        print("%s: no heading in COMMANDS" % cmd)
        bad += 1
        continue
    args = usage[len(cmd):].strip()
    alts = [cmd + (" " + a.strip() if a.strip() else "")
            for a in args.split(" | ")] if args else [cmd]
    for alt in alts:
        if alt not in [h for h, _ in secs]:
            print("%s: usage '%s' is not a heading; headings: %s" %
                  (cmd, alt, " / ".join("'%s'" % h for h, _ in secs)))
            bad += 1
    text = " ".join(plain(h + " " + " ".join(b)) for h, b in secs)
    hopts = help_options(out)
    for o in sorted(hopts):
        if not re.search(r"--%s(?![a-z-])" % re.escape(o), text):
            print("%s: --%s is in --help but not in the man page" % (cmd, o))
            bad += 1
    documented = set()
    for h, b in secs:
        documented |= doc_options(h, b)
    for o in sorted(documented):
        arg = "--%s=x" % o if hopts.get(o) else "--%s" % o
        _, err = run(*cmd.split(), arg)
        if o not in hopts or "unknown option" in err:
            print("%s: the man page lists --%s, which it does not accept%s"
                  % (cmd, o, "" if o in hopts else " (not in --help)"))
            bad += 1
print("checked %d commands" % len(commands))
sys.exit(1 if bad else 0)
PYEOF
checker=$?
ok $checker "every command's heading, usage and options agree with the man page"

done_testing
