#!/bin/sh
# Post the day's top papers to a Slack channel through an incoming webhook.
#
#   radar -q today --format json | ./slack.sh https://hooks.slack.com/services/T000/B000/XXXX
#
# The URL comes from the first argument or RADAR_WEBHOOK_URL; RADAR_WEBHOOK_TOP papers are
# posted (default 5). Needs jq and curl. Exit status: 2 for usage, curl's when posting fails.
#
# Payload: Slack's `text` (the notification, in mrkdwn, with &, < and > escaped as Slack
# asks: https://api.slack.com/reference/surfaces/formatting#escaping) and Block Kit blocks
# whose paper text is `plain_text`, which Slack never formats: a title stays as written.
set -eu

url=${1:-${RADAR_WEBHOOK_URL:-}}
if [ -z "$url" ]; then
  echo "error: no webhook URL" >&2
  echo "hint: pass it as the first argument or set RADAR_WEBHOOK_URL" >&2
  exit 2
fi

# Slack takes at most 50 blocks: a header and two per paper leave room for 24 papers.
jq -c --argjson top "${RADAR_WEBHOOK_TOP:-5}" '
  ([$top, 24] | min) as $top
  | def mrkdwn: gsub("&"; "&amp;") | gsub("<"; "&lt;") | gsub(">"; "&gt;");
  def cut($n): if length > $n then .[0:$n - 1] + "…" else . end;
  # Only a plain https URL may become a link: nothing that could close <url|text>.
  def link($name): if test("^https://[A-Za-z0-9._~%/:?=#+-]+$")
    then "<\(.)|\($name)>" else empty end;
  def source: {arxiv: "arXiv", biorxiv: "bioRxiv", medrxiv: "medRxiv"}[.origin] // .venue // "";
  "radar — \(.watchlist) — \(.day // .requested_day): \(.total) matched" as $headline
  | {
      text: ($headline | mrkdwn),
      blocks: (
        [{type: "header", text: {type: "plain_text", text: ($headline | cut(150)), emoji: false}}]
        + [ .papers[:$top][] | (
            {type: "section",
             text: {type: "plain_text", emoji: false,
                    text: ("\(.rank). \(.title)\n\(.authors | join(", "))" | cut(2900))}},
            {type: "context", elements: (
              [{type: "plain_text", emoji: false,
                text: ("\(source) · \(.primary_category) · \(.announced // "")"
                       + (if (.reasons | length) > 0
                          then "\nWhy: " + ([.reasons[].label] | join(" · ")) else "" end)
                       | cut(1900))}]
              + [ .url // "" | link("abs") | {type: "mrkdwn", text: .} ]
              + [ .pdf_url // "" | link("pdf") | {type: "mrkdwn", text: .} ])}
          ) ]
      )
    }
' | curl -sS --fail --max-time 30 -H 'Content-Type: application/json' --data-binary @- "$url"
