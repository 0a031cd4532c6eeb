#!/bin/sh
# Post the day's top papers to a Discord channel through a webhook.
#
#   radar -q today --format json | ./discord.sh https://discord.com/api/webhooks/ID/TOKEN
#
# The URL comes from the first argument or RADAR_WEBHOOK_URL; RADAR_WEBHOOK_TOP papers are
# posted (default 5). Needs jq and curl. Exit status: 2 for usage, curl's when posting fails.
#
# Payload: Discord's `content` (at most 2000 characters: the papers that fit, whole), with every Markdown character of the papers' text backslash-escaped, links
# in <...> so Discord shows no preview, and `allowed_mentions` empty so a title holding
# @everyone pings no one (https://discord.com/developers/docs/resources/webhook).
set -eu

url=${1:-${RADAR_WEBHOOK_URL:-}}
if [ -z "$url" ]; then
  echo "error: no webhook URL" >&2
  echo "hint: pass it as the first argument or set RADAR_WEBHOOK_URL" >&2
  exit 2
fi

jq -c --argjson top "${RADAR_WEBHOOK_TOP:-5}" '
  # Escaped: Markdown characters, the :// of a URL (no autolink), a list marker at the start.
  def literal: gsub("[\\n\\r]+"; " ")
    | gsub("(?<c>[\\\\*_~`|<>#\\[\\]()@])"; "\\\(.c)") | gsub("://"; "\\://")
    | gsub("^(?<c>[-+])"; "\\\(.c)") | gsub("^(?<n>[0-9]+)\\."; "\(.n)\\.");
  def cut($n): if length > $n then .[0:$n - 1] + "…" else . end;
  def link: if test("^https://[A-Za-z0-9._~%/:?=#+-]+$") then "<\(.)>" else empty end;
  ["**radar — \(.watchlist | literal) — \(.day // .requested_day): \(.total) matched**"]
  + [ .papers[:$top][]
      | ["**\(.rank).** \(.title | cut(300) | literal)",
         "\(.authors | join(", ") | cut(200) | literal)",
         ([.url // "" | link] | join(" "))]
      | map(select(. != "")) | join("\n") ]
  # At most 2000 characters: whole papers, up to the first that does not fit.
  | reduce .[] as $part ({text: "", full: false};
      if .full then .
      elif (.text + "\n" + $part | length) <= 2000
      then .text = (if .text == "" then $part else .text + "\n" + $part end)
      else .full = true end)
  | .text
  | {content: ., allowed_mentions: {parse: []}}
' | curl -sS --fail --max-time 30 -H 'Content-Type: application/json' --data-binary @- "$url"
