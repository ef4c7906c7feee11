#!/bin/sh
# The command line itself: help, version, exact command names, topics.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$T" || exit 1
export GAZETTE_DB="$T/cli.db"
unset GAZETTE_CONF

"$GAZETTE" --version >"$T/v" 2>&1
ok $? "version_exits_zero"
grep -q '^gazette [0-9]' "$T/v"
ok $? "version_names_gazette"

"$GAZETTE" --help >"$T/h" 2>&1
ok $? "help_exits_zero"
for c in "topic add" "feed add" "subscriber add" collect compose send preview "template check" run parse; do
	grep -q "  $c " "$T/h" || { echo "# --help lacks $c"; false; } || break
done
ok $? "help_lists_every_command"

"$GAZETTE" subscriber add --help >"$T/h2" 2>&1
ok $? "command_help_exits_zero"
grep -q "usage: gazette subscriber add EMAIL" "$T/h2" && grep -q -- "--topic" "$T/h2"
ok $? "command_help_shows_usage_and_options"

"$GAZETTE" help feed add >"$T/h3" 2>&1
grep -q "usage: gazette feed add URL" "$T/h3"
ok $? "help_command_shows_the_same_text"

"$GAZETTE" comp >/dev/null 2>&1
is "$?" 64 "commands_match_exactly_not_by_prefix"

"$GAZETTE" topic add networking --name 'Networking' 2>/dev/null
ok $? "topic_add_succeeds"
"$GAZETTE" topic add networking 2>"$T/dup"
is "$?" 65 "duplicate_topic_is_a_data_error"
"$GAZETTE" topic add 'Bad Slug' 2>"$T/bad"
is "$?" 65 "slug_with_space_is_refused"
"$GAZETTE" topic list >"$T/list" 2>&1
grep -q "^networking  *Networking" "$T/list"
ok $? "topic_list_shows_slug_and_name"
[ -f "$T/cli.db" ]
ok $? "GAZETTE_DB_chooses_the_database"

"$GAZETTE" --db "$T/other.db" topic list >/dev/null 2>&1
[ -f "$T/other.db" ]
ok $? "db_option_overrides_the_environment"

printf '[general]\ndatabase = conf.db\n' >"$T/g.conf"
env -u GAZETTE_DB "$GAZETTE" --config "$T/g.conf" topic list >/dev/null 2>&1
[ -f "$T/conf.db" ]
ok $? "config_database_is_relative_to_the_config_file"

"$PY" -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
assert c.execute("pragma journal_mode").fetchone()[0] == "wal"
assert c.execute("pragma user_version").fetchone()[0] >= 1' "$T/cli.db"
ok $? "database_is_wal_with_a_schema_version"

done_testing
