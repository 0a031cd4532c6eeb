"""The JSON document's fast indented writer gives exactly json.dumps's text, with line and
terminal control characters (radar.render.json._INERT) written as \\u escapes."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from radar.render.json import _INERT, _dumps, _indented


def stdlib(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)


def escaped(text: str) -> str:
    return _INERT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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
    assert not _INERT.search(text)
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
