#!/bin/sh
# Mail the day's radar digest (Markdown, sent as plain text) with the system's mailer.
#
#   RADAR_MAIL_TO=you@example.org ./mail-digest.sh
#
# Settings, from the environment:
#   RADAR_MAIL_TO       recipient address(es), comma-separated (required)
#   RADAR_MAIL_FROM     sender address (sendmail only; default: the mailer's own)
#   RADAR_MAIL_SUBJECT  subject line (default: "arXiv radar YYYY-MM-DD")
#   RADAR_MAILER        sendmail or mail (default: sendmail if there is one, else mail)
#   RADAR_ARGS          more arguments for `radar today`, e.g. "--topic quantum --brief"
# Exit status: radar's own when radar fails (2 config, 3 no data ...), 2 without a mailer.
#
# From cron (see crontab in this directory):
#   30 7 * * 1-5  RADAR_MAIL_TO=you@example.org /path/to/mail-digest.sh
set -eu

to=${RADAR_MAIL_TO:?set RADAR_MAIL_TO to the address to mail the digest to}
subject=${RADAR_MAIL_SUBJECT:-"arXiv radar $(date +%F)"}

# Find the mailer first: no point asking arXiv for a digest that cannot be sent.
mailer=${RADAR_MAILER:-}
if [ -z "$mailer" ]; then
  if command -v sendmail >/dev/null 2>&1 || [ -x /usr/sbin/sendmail ]; then
    mailer=sendmail
  elif command -v mail >/dev/null 2>&1; then
    mailer=mail
  else
    echo "error: no mailer found (neither sendmail nor mail)" >&2
    echo "hint: install one (e.g. msmtp-mta or bsd-mailx), or set RADAR_MAILER" >&2
    exit 2
  fi
fi

case $mailer in
  sendmail | mail) ;;
  *)
    echo "error: RADAR_MAILER must be sendmail or mail, not '$mailer'" >&2
    exit 2
    ;;
esac

digest=$(mktemp "${TMPDIR:-/tmp}/radar-digest.XXXXXX")
trap 'rm -f "$digest"' EXIT
trap 'exit 130' INT TERM

# RADAR_ARGS is split into words on purpose.
# shellcheck disable=SC2086
radar -q today --format markdown ${RADAR_ARGS:-} --output "$digest"

case $mailer in
  sendmail)
    sendmail=$(command -v sendmail || echo /usr/sbin/sendmail)
    {
      printf 'To: %s\n' "$to"
      if [ -n "${RADAR_MAIL_FROM:-}" ]; then
        printf 'From: %s\n' "$RADAR_MAIL_FROM"
      fi
      printf 'Subject: %s\n' "$subject"
      printf 'MIME-Version: 1.0\n'
      printf 'Content-Type: text/plain; charset=utf-8\n'
      printf 'Content-Transfer-Encoding: 8bit\n'
      printf '\n'
      cat "$digest"
    } | "$sendmail" -t -oi # -t: recipients from To:; -oi: a lone "." does not end the mail
    ;;
  mail)
    mail -s "$subject" "$to" <"$digest"
    ;;
esac
