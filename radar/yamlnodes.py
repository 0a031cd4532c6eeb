"""Composed YAML nodes with line numbers: strict composing and typed reads that collect problems."""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor

from radar.configpath import NotRegularFile, TooLarge, read_watchlist_text

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"

# A watchlist nests five levels at most (topics, a topic, its authors, an author, aliases);
# far deeper is a mistake or an attack, and the composer recurses once per level.
MAX_DEPTH = 32

# Past this many problems the file is not a watchlist with mistakes but something else:
# more lines would only bury the first ones, and walking on would only cost time.
MAX_PROBLEMS = 50


class TooManyProblems(Exception):
    """Raised by Problems.add when the MAX_PROBLEMS-th problem is added."""


class Problems:
    """Problems found so far, each with the line (1-based; 0 for the whole file) it is about."""

    def __init__(self) -> None:
        self._items: list[tuple[int, str]] = []
        # What to do about these problems, when they call for something other than the
        # usual pointer to the example's key list (a YAML syntax error is not about keys).
        self.hint: str | None = None

    def add(self, line: int, message: str) -> None:
        self._items.append((line, message))
        if len(self._items) >= MAX_PROBLEMS:
            raise TooManyProblems

    def at(self, node: yaml.Node, message: str) -> None:
        self.add(line_of(node), message)

    def __len__(self) -> int:
        return len(self._items)

    def lines(self, label: str) -> tuple[str, ...]:
        """`label:line: message` lines in file order (sorted is stable: same line keeps order)."""
        ordered = sorted(self._items, key=lambda item: item[0])
        return tuple(
            f"{label}:{line}: {msg}" if line else f"{label}: {msg}" for line, msg in ordered
        )


def read_text(path: Path, problems: Problems, max_bytes: int) -> str | None:
    """The file's text, or None with the reason in `problems` (a directory, too big, not UTF-8).

    FileNotFoundError and other OSErrors are left to the caller, who knows how to word them.
    """
    if path.is_dir():
        problems.add(0, "is a directory, not a watchlist file")
        return None
    try:
        return read_watchlist_text(path, max_bytes)
    except NotRegularFile as exc:
        problems.add(0, f"is {exc.kind}, not a watchlist file")
        problems.hint = "point --config (or $RADAR_CONFIG) at a regular file"
    except TooLarge:
        problems.add(0, too_large(max_bytes))
    except UnicodeDecodeError as exc:
        data = exc.object
        line = data[: exc.start].count(b"\n") + 1
        problems.add(line, f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8")
    return None


def too_large(max_bytes: int) -> str:
    return f"is larger than {max_bytes / 1e6:g} MB; a watchlist is a short file"


def line_of(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


# libyaml's parser when PyYAML has it (same SafeLoader rules, about ten times faster on a
# large file); the pure-Python one otherwise.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _screen(text: str) -> tuple[int, str] | None:
    """The first anchor, alias or over-deep nesting, as (line, problem); None if there is none.

    Run on the event stream before composing, it stops at the first offence: an alias bomb
    is refused without being expanded or even parsed to its end, and deep nesting never
    reaches the composer's recursion.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        line = int(event.start_mark.line) + 1 if event.start_mark else 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            return line, "anchors and aliases are not supported in a watchlist"
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return line, f"nested more than {MAX_DEPTH} levels deep"
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def compose(text: str, problems: Problems) -> yaml.Node | None:
    """The document's root node, or None (with the reason added to `problems`)."""
    try:
        refused = _screen(text)
        if refused is not None:
            problems.add(*refused)
            return None
        node: yaml.Node | None = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        _syntax_problem(text, exc, problems)
        return None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        problems.add(line, f"the file contains a character YAML does not allow ({exc.character!r})")
        return None
    if node is None or is_null(node):  # nothing, only comments, or a bare "---"
        problems.add(1, "the watchlist is empty")
        return None
    return node


def _syntax_problem(text: str, exc: yaml.MarkedYAMLError, problems: Problems) -> None:
    # YAML's own message for a tab ("found character '\t' that cannot start any token") does
    # not say what to do; tabs in indentation are the usual cause of a broken watchlist.
    tabbed = [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if "\t" in line[: len(line) - len(line.lstrip(" \t"))]
    ]
    if tabbed:
        for number in tabbed[:5]:
            problems.add(number, "a tab is used for indentation; YAML needs spaces")
        return
    # Point where YAML gave up (line and column, as editors count them), and say where
    # the construct it was reading began: an unclosed `[` is usually a line or more above.
    mark = exc.problem_mark or exc.context_mark
    detail = exc.problem or "invalid YAML"
    if mark:
        detail += f" at column {int(mark.column) + 1}"
    if exc.context:
        began = exc.context_mark
        where = f" that starts at line {began.line + 1}, column {began.column + 1}" if began else ""
        detail = f"{detail} ({exc.context}{where})"
    problems.add(int(mark.line) + 1 if mark else 1, f"YAML syntax error: {detail}")
    problems.hint = (
        "fix the YAML syntax there: an unclosed [ or quote, or a line indented differently "
        "from its neighbours, are the usual causes"
    )


def describe(node: yaml.Node) -> str:
    """How a node reads in a message: "a list", "the number 3", "true", "text 'x'"."""
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if node.tag in (INT, FLOAT):
        return f"the number {node.value}"
    if node.tag == BOOL:
        return f"the yes/no value {node.value}"
    if node.tag == NULL:
        return "nothing"
    return f"text {node.value!r}"


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == NULL


def suggestion(word: str, choices: Sequence[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def entries(
    node: yaml.Node, problems: Problems, where: str
) -> list[tuple[yaml.ScalarNode, yaml.Node]] | None:
    """A mapping's (key, value) pairs in order; a repeated key is reported and left out.

    `where` names the mapping in messages ("" for the top level, else e.g. "network").
    """
    if not isinstance(node, yaml.MappingNode):
        got = describe(node)
        problems.at(node, f"{where or 'the watchlist'}: expected a mapping of keys, got {got}")
        return None
    inside = f" in {where}" if where else ""
    pairs: list[tuple[yaml.ScalarNode, yaml.Node]] = []
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            problems.at(key_node, f"a key{inside} must be a plain word, not {describe(key_node)}")
            continue
        key = str(key_node.value)
        if key in first_line:
            problems.at(
                key_node, f"duplicate key {key!r}{inside} (first at line {first_line[key]})"
            )
            continue
        first_line[key] = line_of(key_node)
        pairs.append((key_node, value_node))
    return pairs


def fields(
    node: yaml.Node, problems: Problems, allowed: Sequence[str], where: str
) -> dict[str, yaml.Node] | None:
    """A mapping's values by key; unknown keys are reported (with a guess) and left out."""
    pairs = entries(node, problems, where)
    if pairs is None:
        return None
    inside = f" in {where}" if where else ""
    found: dict[str, yaml.Node] = {}
    for key_node, value_node in pairs:
        key = str(key_node.value)
        if key in allowed:
            found[key] = value_node
        else:
            problems.at(key_node, f"unknown key {key!r}{inside}{suggestion(key, allowed)}")
    return found


def text(node: yaml.Node, problems: Problems, what: str) -> str | None:
    """A scalar's text, stripped; numbers, yes/no values, lists and mappings are problems."""
    if isinstance(node, yaml.ScalarNode) and node.tag == STR:
        return str(node.value).strip()
    quote = f' (put it in quotes: "{node.value}")' if node.tag in (INT, FLOAT, BOOL) else ""
    problems.at(node, f"{what}: expected text, got {describe(node)}{quote}")
    return None


def items(node: yaml.Node, problems: Problems, what: str, example: str) -> list[yaml.Node]:
    """A sequence's item nodes; nothing (`key:` left blank) is an empty list."""
    if is_null(node):
        return []
    if not isinstance(node, yaml.SequenceNode):
        if isinstance(node, yaml.ScalarNode) and node.tag == STR and 0 < len(node.value) < 60:
            example = f"[{node.value}]"  # items written without brackets: show the fix itself
        problems.at(node, f"{what}: expected a list, e.g. {example}, got {describe(node)}")
        return []
    return list(node.value)


def text_list(
    node: yaml.Node, problems: Problems, what: str, example: str
) -> list[tuple[yaml.Node, str]]:
    """Each item's text with its node; blank and non-text items are reported and skipped."""
    out: list[tuple[yaml.Node, str]] = []
    for item in items(node, problems, what, example):
        value = text(item, problems, what)
        if value is None:
            continue
        if not value:
            problems.at(item, f"{what}: an item is empty")
            continue
        out.append((item, value))
    return out


def number(
    node: yaml.Node,
    problems: Problems,
    what: str,
    *,
    whole: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
    above: float | None = None,
) -> float | None:
    """A finite number within the given bounds; `whole` asks for an integer."""
    value = _numeric(node)
    kind = "a whole number" if whole else "a number"
    if value is None or (whole and not float(value).is_integer()):
        problems.at(node, f"{what}: expected {kind}, got {describe(node)}")
        return None
    if not math.isfinite(value):
        problems.at(node, f"{what}: expected a finite number, got {node.value}")
        return None
    shown = int(value) if float(value).is_integer() else value
    if above is not None and not value > above:
        problems.at(node, f"{what}: must be greater than {above:g} (got {shown})")
    elif minimum is not None and maximum is not None and not minimum <= value <= maximum:
        problems.at(node, f"{what}: must be between {minimum:g} and {maximum:g} (got {shown})")
    elif minimum is not None and value < minimum:
        problems.at(node, f"{what}: must be at least {minimum:g} (got {shown})")
    elif maximum is not None and value > maximum:
        problems.at(node, f"{what}: must be at most {maximum:g} (got {shown})")
    else:
        return value
    return None


def _numeric(node: yaml.Node) -> float | None:
    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.tag == INT:
        # SafeConstructor knows YAML 1.1's spellings (1_000, 0x10, 0o17); int() does not.
        try:
            return float(SafeConstructor().construct_yaml_int(node))
        except (ValueError, OverflowError):  # thousands of digits: past any sane bound
            return math.inf
    if node.tag == FLOAT:
        return float(SafeConstructor().construct_yaml_float(node))
    if node.tag == STR and not node.style:  # plain: None from PyYAML, "" from libyaml
        # YAML 1.1 reads an unquoted 1e3 as text; it was meant as a number.
        try:
            return float(node.value)
        except ValueError:
            return None
    return None
