"""The JSON document's fast indented writer gives exactly json.dumps's text, with line and
terminal control characters written as \\u escapes.

Which characters those are is decided here from the Unicode database, not read from radar:
C1 controls (terminal commands: U+009B is CSI), the line and paragraph separators, and the
bidi embeddings, overrides and isolates that reorder what a terminal shows."""

from __future__ import annotations

import json
import math
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from radar.render.json import _dumps, _indented

# Unicode's bidi classes for the explicit embeddings, overrides, pops and isolates.
_BIDI_CONTROLS = {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"}


def inert_needed(char: str) -> bool:
    """Whether `char` must reach the JSON text as a \\u escape."""
    category = unicodedata.category(char)
    return (
        (category == "Cc" and ord(char) >= 0x80)  # C1; json.dumps escapes C0 itself
        or category in ("Zl", "Zp")
        or unicodedata.bidirectional(char) in _BIDI_CONTROLS
    )


def stdlib(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)


def escaped(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" if inert_needed(c) else c for c in text)


def test_the_escaped_characters_are_the_expected_ones() -> None:
    # The oracle itself, against the characters listed by hand.
    listed = {*map(chr, range(0x80, 0xA0)), "\u2028", "\u2029"}
    listed |= {*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}
    assert {chr(c) for c in range(0x110000) if inert_needed(chr(c))} == listed
    # Right-to-left text and its plain marks (LRM, RLM, ALM) are kept as they are.
    text = "\u0645\u0648\u062f\u064a\u0644 \u200e\u200f\u061c caf\u00e9 \U0001f408"
    assert json.loads(_dumps({"t": text}, indent=2)) == {"t": text}
    assert text in _dumps({"t": text}, indent=2)


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=500)
@given(_VALUES)
def test_same_text_as_json_dumps(value: object) -> None:
    assert _indented(value) == escaped(stdlib(value))
    assert _dumps(value, indent=2) == escaped(stdlib(value))


@settings(max_examples=200)
@given(st.dictionaries(st.text(alphabet="a\u2028\x85\u202e\x9b ", max_size=6), _VALUES))
def test_control_characters_in_keys_and_values_are_escaped(value: object) -> None:
    text = _dumps({"k": value}, indent=2)
    assert not any(map(inert_needed, text))
    assert json.loads(text) == json.loads(stdlib({"k": value}))


def test_an_object_met_again_is_written_alike_at_any_depth() -> None:
    shared = {"kind": "category", "label": "category: cs.LG", "weight": 1.5}
    alike = {"kind": "category", "label": "category: cs.LG", "weight": 1.5}
    doc = {"a": shared, "b": [shared, alike], "c": [[shared]], "d": {"e": shared}}
    assert _dumps(doc, indent=2) == stdlib(doc)
    ints = {"w": 1}
    assert _dumps([ints, {"w": True}, {"w": 1.0}, ints], indent=2) == stdlib(
        [ints, {"w": True}, {"w": 1.0}, ints]
    )


def test_unusual_values_are_left_to_json_dumps() -> None:
    for value in ({1: "int key"}, [math.nan], {"x": math.inf}, {"s": {1, 2}}):
        assert _indented(value) is None
    cycle: list[object] = []
    cycle.append(cycle)
    assert _indented(cycle) is None


@given(_VALUES)
def test_dumps_escapes_line_separators_only_when_present(value: object) -> None:
    doc = {"text": "a\u2028b\x85c\u2029", "value": value}
    text = _dumps(doc, indent=2)
    assert "\u2028" not in text and "\x85" not in text and "\u2029" not in text
    assert json.loads(text) == json.loads(stdlib(doc))
