"""Numbers with their nouns: "1 paper", "2 papers" — one place, so no "1 replacements"."""

from __future__ import annotations


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """`n` and the noun that agrees with it: counted(1, "paper") is "1 paper"."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"
