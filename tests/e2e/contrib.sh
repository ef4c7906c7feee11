#!/bin/sh
# contrib/: the systemd units pass systemd-analyze verify, the cron line
# and the sample configuration are what gazette itself accepts.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

C=$top_srcdir/contrib

# The sample: every key gazette knows is in it; uncommented, it loads.
sed 's/^;\([a-z_][a-z_]* = \)/\1/' "$C/gazette.conf.sample" >"$T/all.conf"
# Paths it names need not exist for loading; the database goes to $T.
sed -i "s|^database = .*|database = $T/sample.db|" "$T/all.conf"
"$GAZETTE" --config "$T/all.conf" outbox list >"$T/out" 2>"$T/err"
ok $? "sample_config_with_every_key_uncommented_loads"
[ -s "$T/err" ] && sed 's/^/#   /' "$T/err"
"$GAZETTE" --config "$C/gazette.conf.sample" --db "$T/s2.db" outbox list \
    >/dev/null 2>&1
ok $? "sample_config_as_shipped_loads"
for key in database title base_url from reply_to transport maildir sendmail \
    max_bounces host port tls user password_file connections rate timeout \
    retry_delay retry_window soft_limit \
    concurrency max_size allow_file frequency max_items_per_topic \
    excerpt_words template_dir; do
	grep -q "^;$key = " "$C/gazette.conf.sample" ||
	    { echo "# sample lacks $key"; false; } || break
done
ok $? "sample_config_names_every_key"

grep -q '^[0-9*][^#]* gazette .*gazette .*--config /etc/gazette/gazette.conf run$' \
    "$C/cron/gazette.cron"
ok $? "cron_line_runs_gazette_run_as_the_gazette_user"

command -v systemd-analyze >/dev/null ||
    { diag "systemd-analyze not found: unit checks skipped"; done_testing; exit $?; }
mkdir -p "$T/units"
sed "s|^ExecStart=/usr/local/bin/gazette|ExecStart=$GAZETTE|" \
    "$C/systemd/gazette.service" >"$T/units/gazette.service"
cp "$C/systemd/gazette.timer" "$T/units/"
systemd-analyze verify --man=no "$T/units/gazette.service" \
    "$T/units/gazette.timer" >"$T/verify" 2>&1
rc=$?
# Only words about our own files count; the host's units may be odd.
grep 'gazette\.' "$T/verify" | sed 's/^/#   /'
# It exits 0 even on a line it ignores, so any word about them fails.
[ "$rc" -eq 0 ] && ! grep -q 'gazette\.' "$T/verify"
ok $? "systemd_analyze_verify_accepts_the_units"
grep -q '^Type=oneshot' "$C/systemd/gazette.service" &&
    grep -q '^ExecStart=.*gazette --config /etc/gazette/gazette.conf run$' \
    "$C/systemd/gazette.service" &&
    grep -q '^OnCalendar=weekly' "$C/systemd/gazette.timer" &&
    grep -q '^Persistent=true' "$C/systemd/gazette.timer"
ok $? "units_run_gazette_run_weekly_and_catch_up"

done_testing
