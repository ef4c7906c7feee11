# tests/e2e/smtp-lib.sh - pieces the smtp-*.sh tests share, sourced after
# tests/lib.sh: a test database per case, and smtpd.py with options.

# start_smtpd NAME [smtpd.py options]: a server saving into $T/NAME.recv;
# sets PORT and RECV.  $GAZETTE_SMTPD_DELAY passes through.
start_smtpd() {
	RECV=$T/$1.recv
	_name=$1
	shift
	"$PY" "$top_srcdir/tests/servers/smtpd.py" "$RECV" "$T/$_name.port" \
	    "$@" 2>"$T/$_name.srv.err" &
	server_pids="$server_pids $!"
	wait_file "$T/$_name.port" || { cat "$T/$_name.srv.err"; return 1; }
	PORT=$(cat "$T/$_name.port")
}

# case_setup NAME PORT [LINE...]: a fresh database in $T/NAME.case whose
# readers ($READERS, default zoe) each have one queued digest from
# $T/feed.xml, its config pointing at PORT.  Each LINE is added under
# [smtp]: "key=value", or "[section]" to change section (a key repeated
# later overrides the earlier one).  Sets D and DB.
case_setup() {
	D=$T/$1.case
	DB=$D/gazette.db
	_port=$2
	shift 2
	mkdir -p "$D"
	write_config "$D/gazette.conf" "$_port"
	{
		printf '[collect]\nallow_file = yes\n[smtp]\n'
		for _kv in "$@"; do
			printf '%s\n' "$_kv" | sed 's/=/ = /'
		done
	} >>"$D/gazette.conf"
	g topic add news >/dev/null 2>&1
	g feed add "file://$T/feed.xml" --topic news >/dev/null 2>&1
	for _r in ${READERS:-zoe}; do
		g subscriber add "$_r@example.org" --topic news >/dev/null 2>&1
	done
	g collect >/dev/null 2>&1
	g compose >/dev/null 2>&1
}

g() {
	"$GAZETTE" --config "$D/gazette.conf" "$@"
}
