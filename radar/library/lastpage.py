"""The page `radar today` showed last: which paper each card number stood for, so that
`radar save 3` means the card the user saw as 3 (in the terminal, Markdown or JSON `rank`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from radar.library.records import PaperRecord, record_of
from radar.models import Report


@dataclass(frozen=True, slots=True)
class ShownPage:
    shown_at: datetime
    first: int  # the number of the first card: 21 on page 2 of 20
    papers: tuple[PaperRecord, ...]

    @property
    def last(self) -> int:
        return self.first + len(self.papers) - 1

    def at(self, number: int) -> PaperRecord | None:
        """The paper shown as card `number`, or None when the page had no such card."""
        index = number - self.first
        return self.papers[index] if 0 <= index < len(self.papers) else None

    def find(self, key: str) -> PaperRecord | None:
        return next((p for p in self.papers if p.key == key), None)

    def numbers(self) -> str:
        """The card numbers as people read them: "1-20", "21", or "none"."""
        if not self.papers:
            return "none"
        return str(self.first) if self.last == self.first else f"{self.first}-{self.last}"


def page_of(report: Report, shown_at: datetime) -> ShownPage:
    """The cards of `report` as the renderers number them (offset + 1 onwards)."""
    return ShownPage(
        shown_at=shown_at,
        first=report.offset + 1,
        papers=tuple(record_of(r.paper) for r in report.papers),
    )
