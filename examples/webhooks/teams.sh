#!/bin/sh
# Post the day's top papers to a Microsoft Teams channel through a Workflows webhook
# ("Post to a channel when a webhook request is received").
#
#   radar -q today --format json | ./teams.sh 'https://prod-00.westus.logic.azure.com/...'
#
# The URL comes from the first argument or RADAR_WEBHOOK_URL; RADAR_WEBHOOK_TOP papers are
# posted (default 5). Needs jq and curl. Exit status: 2 for usage, curl's when posting fails.
#
# Payload: a message with one Adaptive Card (version 1.2). The papers' text goes into
# RichTextBlock TextRuns, which Teams never reads as Markdown (TextBlock would); a title's
# link is a selectAction on its run, made only from a plain https URL.
# https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using
set -eu

url=${1:-${RADAR_WEBHOOK_URL:-}}
if [ -z "$url" ]; then
  echo "error: no webhook URL" >&2
  echo "hint: pass it as the first argument or set RADAR_WEBHOOK_URL" >&2
  exit 2
fi

jq -c --argjson top "${RADAR_WEBHOOK_TOP:-5}" '
  def run($text): {type: "TextRun", text: $text};
  def source: {arxiv: "arXiv", biorxiv: "bioRxiv", medrxiv: "medRxiv"}[.origin] // .venue // "";
  def opens: if test("^https://[A-Za-z0-9._~%/:?=#+-]+$")
    then {selectAction: {type: "Action.OpenUrl", url: .}} else {} end;
  {
    type: "message",
    attachments: [{
      contentType: "application/vnd.microsoft.card.adaptive",
      contentUrl: null,
      content: {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        type: "AdaptiveCard",
        version: "1.2",
        body: (
          [{type: "RichTextBlock", inlines: [
            run("radar — \(.watchlist) — \(.day // .requested_day): \(.total) matched")
            + {weight: "Bolder", size: "Medium"}]}]
          + [ .papers[:$top][] | {type: "RichTextBlock", separator: true, inlines: [
                run("\(.rank). \(.title)\n") + {weight: "Bolder"} + (.url // "" | opens),
                run(.authors | join(", ")),
                run("\n\(source) · \(.primary_category) · \(.announced // "")")
                + {isSubtle: true}
              ]} ]
        )
      }
    }]
  }
' | curl -sS --fail --max-time 30 -H 'Content-Type: application/json' --data-binary @- "$url"
