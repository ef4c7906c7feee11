#!/bin/sh
# gazette bounces over IMAP, against Debian's Dovecot on 127.0.0.1 with a
# throwaway CA and user, loaded with real bounces from the shared corpus:
# hard bounces, complaints and unsubscribe mails act on subscribers,
# auto-replies change nothing, handled mail is moved to a folder on the
# server (never deleted), a second run counts nothing twice, and a server
# that is untrusted, refuses the password or is not there stops the run
# with nothing changed.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

DOVECOT=/usr/sbin/dovecot
[ -x "$DOVECOT" ] || skip_all "dovecot-imapd is not installed"
command -v openssl >/dev/null 2>&1 || skip_all "openssl is not installed"
MAILS=$GAZETTE_SHARED/corpus/bounces/mail
[ -d "$MAILS" ] || skip_all "the shared bounce corpus is not there"

test_pki imap.test || exit 1

# ------------------------------------------------ Dovecot, as this user
# Mail belongs to the user running the test; as root, to dovecot's own
# unprivileged user (Dovecot refuses mail access as root).
if [ "$(id -u)" -eq 0 ]; then
	mail_user=dovecot
	chmod 755 "$T"
else
	mail_user=$(id -un)
fi
DV=$T/dovecot
HOME_DIR=$DV/home/bounces
mkdir -p "$DV/run" "$DV/state" "$HOME_DIR/Maildir/new" \
    "$HOME_DIR/Maildir/cur" "$HOME_DIR/Maildir/tmp"
printf 'bounces:{PLAIN}s3cret-pw\n' >"$DV/passwd"
IMAP_PORT=$(free_port)
IMAPS_PORT=$(free_port)
cat >"$DV/dovecot.conf" <<CONF
base_dir = $DV/run
state_dir = $DV/state
log_path = $DV/log
listen = 127.0.0.1
protocols = imap
ssl = required
ssl_cert = <$C/srv.pem
ssl_key = <$C/srv.key
auth_mechanisms = plain login
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = $DV/passwd
}
userdb {
  driver = static
  args = uid=$mail_user gid=$(id -gn "$mail_user") home=$DV/home/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
CONF
if [ "$(id -u)" -ne 0 ]; then
	printf 'default_login_user = %s\ndefault_internal_user = %s\n' \
	    "$mail_user" "$mail_user" >>"$DV/dovecot.conf"
fi

# put FILE: one message into the INBOX, as a mail server delivers it.
n=0
put() {
	n=$((n + 1))
	cp "$1" "$HOME_DIR/Maildir/new/$n.test"
}

# imap_count FOLDER: how many messages the server holds there (read over
# IMAPS with Python's imaplib, trusting only the test CA).
imap_count() {
	"$PY" - "$IMAPS_PORT" "$C/ca.pem" "$1" <<'PYEOF'
import imaplib, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
m = imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]), ssl_context=ctx)
m.login("bounces", "s3cret-pw")
typ, data = m.select(sys.argv[3], readonly=True)
print(int(data[0]) if typ == "OK" else -1)
m.logout()
PYEOF
}

# ------------------------------------------------ gazette and its readers
write_local_config "$T/gazette.conf"
printf 's3cret-pw\n' >"$T/imap-password"
cat >>"$T/gazette.conf" <<CONF

[mail]
max_bounces = 1

[bounces]
mailbox = imaps://bounces@127.0.0.1:$IMAPS_PORT/INBOX
password_file = $T/imap-password
ca_file = $C/ca.pem
CONF

gz topic add net --name Networking >/dev/null 2>&1
for a in userunknown@example.jp redacted@example.net kijitora@example.ed.jp \
    kijitora@example.net ada@example.org; do
	gz subscriber add "$a" --topic net >/dev/null 2>&1 || echo "# add $a"
done
token=$(token_of ada@example.org)

put "$MAILS/lhost-gmail-01.eml"		# hard: userunknown@example.jp
put "$MAILS/arf-01.eml"			# complaint: redacted@example.net
put "$MAILS/lhost-exim-01.eml"		# soft: kijitora@example.ed.jp
put "$MAILS/rfc3834-01.eml"		# auto-reply: kijitora@example.net
cat >"$T/unsub.eml" <<MAIL
From: Ada <ada@example.org>
To: digest@news.example.org
Subject: unsubscribe $token
Message-ID: <unsub-1@example.org>

MAIL
put "$T/unsub.eml"
handled=$n
cat >"$T/letter.eml" <<MAIL
From: reader@example.net
To: digest@news.example.org
Subject: Thanks
Message-ID: <letter-1@example.net>

Lovely digest.
MAIL
put "$T/letter.eml"
printf '\001\002 this is no mail\n\n\377\376' >"$T/garbage.eml"
put "$T/garbage.eml"
"$PY" -c 'import sys
sys.stdout.write("Subject: huge\nMessage-ID: <huge@example.net>\n\n")
sys.stdout.write(("x" * 999 + "\n") * 11000)' >"$T/huge.eml"
put "$T/huge.eml"
total=$n
[ "$(id -u)" -eq 0 ] && chown -R "$mail_user" "$DV/home"

# start_dovecot COUNT: start it and wait until the INBOX holds COUNT.
start_dovecot() {
	"$DOVECOT" -F -c "$DV/dovecot.conf" 2>"$DV/stderr" &
	DV_PID=$!
	server_pids="$server_pids $DV_PID"
	i=0
	until [ "$(imap_count INBOX 2>/dev/null)" = "$1" ]; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then
			echo "Bail out! Dovecot did not start"
			cat "$DV/stderr" "$DV/log" 2>/dev/null | sed 's/^/# /'
			exit 1
		fi
		sleep 0.2
	done
}
start_dovecot "$total"
ok 0 "dovecot_serves_the_loaded_inbox"

# ------------------------------------------------ a dry run over STARTTLS
sed "s|^mailbox = .*|mailbox = imap://bounces@127.0.0.1:$IMAP_PORT/INBOX|" \
    "$T/gazette.conf" >"$T/starttls.conf"
before=$(db_dump)
"$GAZETTE" --config "$T/starttls.conf" bounces --dry-run >"$T/dry" 2>&1
ok $? "dry_run_over_starttls_succeeds"
grep -q "dry run" "$T/dry" && grep -q "1 hard, 1 soft, 1 complaints" "$T/dry"
ok $? "dry_run_reports_what_it_would_do"
is "$(db_dump)" "$before" "dry_run_changes_nothing_in_the_database"
is "$(imap_count INBOX)" "$total" "dry_run_moves_nothing_on_the_server"

# ------------------------------------------------ the real run over IMAPS
gz bounces >"$T/out" 2>&1
ok $? "bounces_over_imaps_succeeds"
sed 's/^/# /' "$T/out"
is "$(status_of userunknown@example.jp)" bounced "hard_bounce_marks_bounced"
is "$(status_of redacted@example.net)" unsubscribed \
    "complaint_unsubscribes_the_complainer"
is "$(status_of kijitora@example.ed.jp)" active "one_soft_bounce_only_counts"
is "$(shown soft_bounces kijitora@example.ed.jp)" 1 "the_soft_bounce_is_counted"
is "$(status_of kijitora@example.net)" active "auto_reply_changes_nothing"
is "$(status_of ada@example.org)" unsubscribed \
    "mail_to_the_unsubscribe_address_with_a_token_unsubscribes"
is "$(imap_count gazette-done)" "$handled" "handled_mail_moves_to_gazette_done"
is "$(imap_count INBOX)" $((total - handled)) \
    "letter_garbage_and_huge_mail_stay_in_the_inbox"
grep -q "over 10 MB: left in the mailbox" "$T/out"
ok $? "the_huge_mail_is_named"
most=$(sed -n 's/.*body_bytes=\([0-9]*\).*/\1/p' "$DV/log" | sort -n | tail -n 1)
[ "${most:-0}" -gt 0 ] && [ "$most" -lt 10000000 ]
ok $? "the_huge_mail_is_never_fetched"

# ------------------------------------------------ nothing counted twice
gz bounces >"$T/again" 2>&1
ok $? "second_run_succeeds"
grep -q "0 hard, 0 soft, 0 complaints, 0 unsubscribes" "$T/again"
ok $? "second_run_acts_on_nothing"
# The same mails delivered again (a crash between acting and moving):
# each is known by its Message-ID and only moved.
for f in lhost-exim-01 arf-01; do
	put "$MAILS/$f.eml"
done
[ "$(id -u)" -eq 0 ] && chown -R "$mail_user" "$DV/home"
gz bounces >"$T/third" 2>&1
grep -q "2 handled before" "$T/third" && grep -q "0 soft" "$T/third"
ok $? "mail_handled_before_is_not_counted_again"
is "$(shown soft_bounces kijitora@example.ed.jp)" 1 "soft_count_unchanged_by_a_reread"
is "$(imap_count gazette-done)" $((handled + 2)) "reread_mail_is_moved_too"

# ------------------------------------------------ servers that must fail
before=$(db_dump)
inbox=$(imap_count INBOX)
sed "s|^ca_file = .*|ca_file = $C/other.pem|" "$T/gazette.conf" \
    >"$T/untrusted.conf"
"$GAZETTE" --config "$T/untrusted.conf" bounces >/dev/null 2>"$T/err"
is "$?" 69 "untrusted_certificate_exits_69"
grep -q "127.0.0.1: TLS certificate not trusted" "$T/err"
ok $? "untrusted_certificate_error_names_the_server"
sed "s|^mailbox = .*|mailbox = imap://bounces@127.0.0.1:$IMAP_PORT/INBOX|" \
    "$T/untrusted.conf" >"$T/untrusted-starttls.conf"
logins=$(grep -c "Login: user=<bounces>" "$DV/log")
"$GAZETTE" --config "$T/untrusted-starttls.conf" bounces >/dev/null 2>&1
is "$?" 69 "untrusted_certificate_after_starttls_exits_69"
is "$(grep -c "Login: user=<bounces>" "$DV/log")" "$logins" \
    "no_password_goes_to_an_untrusted_server"
printf 'wrong\n' >"$T/wrong-password"
sed "s|^password_file = .*|password_file = $T/wrong-password|" \
    "$T/gazette.conf" >"$T/wrong.conf"
"$GAZETTE" --config "$T/wrong.conf" bounces >/dev/null 2>"$T/err"
is "$?" 69 "wrong_password_exits_69"
grep -q "login failed" "$T/err"
ok $? "wrong_password_error_says_login_failed"
sed "s|^password_file = .*|password_command = cat $T/imap-password|" \
    "$T/gazette.conf" >"$T/cmd.conf"
"$GAZETTE" --config "$T/cmd.conf" bounces --dry-run >/dev/null 2>"$T/err"
ok $? "password_command_logs_in"
sed "s|^password_file = .*|password_command = exit 1|" \
    "$T/gazette.conf" >"$T/cmdfail.conf"
"$GAZETTE" --config "$T/cmdfail.conf" bounces >/dev/null 2>"$T/err"
is "$?" 78 "failing_password_command_exits_78"
grep -q "\[bounces\] password_command failed (exit status 1)" "$T/err"
ok $? "failing_password_command_is_named"
sed "s|^mailbox = .*|mailbox = imaps://bounces@127.0.0.1:$(free_port)/INBOX|" \
    "$T/gazette.conf" >"$T/down.conf"
"$GAZETTE" --config "$T/down.conf" bounces >/dev/null 2>"$T/err"
is "$?" 69 "unreachable_server_exits_69"
grep -q "cannot connect" "$T/err"
ok $? "unreachable_server_error_says_so"
sed "s|^mailbox = .*|mailbox = imaps://bounces@127.0.0.1:$IMAPS_PORT/NoSuch|" \
    "$T/gazette.conf" >"$T/nofolder.conf"
"$GAZETTE" --config "$T/nofolder.conf" bounces >/dev/null 2>"$T/err"
is "$?" 69 "missing_folder_exits_69"
grep -q "selecting the folder failed" "$T/err"
ok $? "missing_folder_error_says_so"
is "$(db_dump)" "$before" "failed_runs_change_nothing"
is "$(imap_count INBOX)" "$inbox" "failed_runs_move_nothing"

# ------------------------------------------------ a server without MOVE
# Handled mail then goes by COPY, \Deleted and EXPUNGE: still never lost.
kill "$DV_PID" && wait "$DV_PID" 2>/dev/null
echo "imap_capability = IMAP4rev1 LITERAL+ SASL-IR UIDPLUS" \
    >>"$DV/dovecot.conf"
gz subscriber add moved@example.org --topic net >/dev/null 2>&1
sed 's/userunknown@example.jp/moved@example.org/g' \
    "$MAILS/lhost-gmail-01.eml" | sed 's/^Message-ID: <047d7b/Message-ID: <copy-/' \
    >"$T/moved.eml"
put "$T/moved.eml"
[ "$(id -u)" -eq 0 ] && chown -R "$mail_user" "$DV/home"
start_dovecot $((inbox + 1))
done_before=$(imap_count gazette-done)
"$PY" - "$IMAPS_PORT" "$C/ca.pem" <<'PYEOF'
import imaplib, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
m = imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]), ssl_context=ctx)
m.login("bounces", "s3cret-pw")
typ, caps = m.capability()
sys.exit(b"MOVE" in caps[0].split())
PYEOF
ok $? "the_server_now_offers_no_move"
gz bounces >"$T/nomove" 2>&1
ok $? "bounces_without_move_succeeds"
is "$(status_of moved@example.org)" bounced "hard_bounce_read_without_move"
is "$(imap_count gazette-done)" $((done_before + 1)) \
    "copied_to_gazette_done_without_move"
is "$(imap_count INBOX)" "$inbox" "and_expunged_from_the_inbox"

done_testing
