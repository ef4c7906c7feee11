#!/bin/sh
# contrib/bash-completion/gazette: what <TAB> offers in bash, with the
# commands and options read from gazette itself and the topics from the
# database.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

command -v bash >/dev/null 2>&1 || skip_all "bash is not installed"
cd "$T" || exit 1
export GAZETTE_DB="$T/c.db"
unset GAZETTE_CONF
mkdir -p "$T/bin"
ln -s "$GAZETTE" "$T/bin/gazette"
PATH=$T/bin:$PATH
export PATH

{
	gazette topic add networking &&
	gazette topic add security &&
	gazette topic add ops &&
	gazette feed add https://blog.example.org/feed.xml --topic ops --no-check &&
	gazette subscriber add ada@example.org --topic ops
} >/dev/null 2>&1
ok $? "setup"

# complete LINE: the sorted candidates bash would offer at the end of LINE.
complete_line() {
	bash -c '. "$1"
COMP_LINE=$2
COMP_POINT=${#COMP_LINE}
# Split as readline does: at blanks and at the word breaks ":" and "=".
read -ra COMP_WORDS <<<"$(printf "%s" "$COMP_LINE" | sed "s/:/ : /g")"
case $COMP_LINE in *" ") COMP_WORDS+=("") ;; esac
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_gazette
[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
	    sh "$top_srcdir/contrib/bash-completion/gazette" "$1"
}

is "$(complete_line 'gazette sub')" "subscribe subscriber " \
    "sub_completes_to_subscribe_and_subscriber"
is "$(complete_line 'gazette topic ')" "add list remove rename " \
    "topic_completes_its_subcommands"
is "$(complete_line 'gazette feed list --')" "--csv --json " \
    "options_come_from_the_command_help"
is "$(complete_line 'gazette subscribe ada@example.org ')" \
    "networking ops security " "subscribe_completes_topic_slugs"
is "$(complete_line 'gazette subscriber add x@example.org --topic s')" \
    "security " "topic_option_completes_slugs"
is "$(complete_line 'gazette subscriber show a')" "ada@example.org " \
    "subscriber_show_completes_addresses"
is "$(complete_line 'gazette feed pause https://blog')" \
    "//blog.example.org/feed.xml " "feed_commands_complete_urls_after_the_colon"
is "$(complete_line 'gazette outbox ')" "drop list retry show " \
    "every_family_completes_its_subcommands"
is "$(complete_line 'gazette outbox list --state f')" "failed " \
    "option_values_are_completed"
is "$(complete_line 'gazette preview -t n')" "networking " \
    "short_options_taking_a_value_are_known_from_the_help"
is "$(complete_line 'gazette subscriber set ada@example.org --name Ada --frequency ')" \
    "daily weekly " "values_of_earlier_options_are_skipped"
is "$(complete_line 'gazette -q su')" "subscribe subscriber " \
    "global_options_before_the_command_are_skipped"
gazette --db "$T/other.db" topic add elsewhere >/dev/null 2>&1
is "$(complete_line "gazette --db $T/other.db topic remove ")" "elsewhere " \
    "db_option_on_the_line_chooses_the_database"

done_testing
