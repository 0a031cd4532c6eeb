"""The words radar's own pages and feeds use, in the watchlist's `language:` (English fallback).

Only radar's labels are translated; paper text, reasons and status sentences stay as the
sources and the ranking wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Labels:
    lang: str  # the page's `lang` attribute (BCP 47)
    new: tuple[str, str]  # (singular, plural)
    cross: tuple[str, str]
    replacements: tuple[str, str]
    matched: tuple[str, str]  # "{n} matched your watchlist"
    showing: str  # "showing {first}-{last}", with an en dash
    excluded: str  # "{n} excluded"
    briefing: str
    written_by: str  # "written by {model}"
    filters: str
    all: str
    authors: str
    topics: str
    sources: str
    why: str
    abstract: str
    another_batch: str
    shown: str  # "{shown} of {total} shown"
    no_match: str
    more: str  # "more: {command}"
    and_more: str  # "and {n} more"
    untitled: str
    digests: str
    no_digests: str
    cross_list: str


ENGLISH = Labels(
    lang="en",
    new=("{n} new", "{n} new"),
    cross=("{n} cross-list", "{n} cross-lists"),
    replacements=("{n} replacement", "{n} replacements"),
    matched=("{n} matched your watchlist", "{n} matched your watchlist"),
    showing="showing {first}\u2013{last}",
    excluded="{n} excluded",
    briefing="Briefing",
    written_by="written by {model}",
    filters="Filter",
    all="All",
    authors="Watched authors",
    topics="Topics",
    sources="Sources",
    why="Why",
    abstract="Abstract",
    another_batch="Another batch",
    shown="{shown} of {total} shown",
    no_match="No paper on this page matches this filter.",
    more="More: {command}",
    and_more="and {n} more",
    untitled="(untitled)",
    digests="radar pages",
    no_digests="No pages yet.",
    cross_list="cross-list",
)

CHINESE = Labels(
    lang="zh",
    new=("{n} 篇新文", "{n} 篇新文"),
    cross=("{n} 篇交叉列出", "{n} 篇交叉列出"),
    replacements=("{n} 篇更新", "{n} 篇更新"),
    matched=("{n} 篇符合关注列表", "{n} 篇符合关注列表"),
    showing="显示第 {first}\u2013{last} 篇",
    excluded="已排除 {n} 篇",
    briefing="简报",
    written_by="由 {model} 撰写",
    filters="筛选",
    all="全部",
    authors="关注的作者",
    topics="主题",
    sources="来源",
    why="推荐理由",
    abstract="摘要",
    another_batch="再来一批",
    shown="已显示 {shown} / {total} 篇",
    no_match="本页没有符合此筛选条件的论文。",
    more="更多：{command}",  # noqa: RUF001 (Chinese punctuation)
    and_more="等另外 {n} 人",
    untitled="（无标题）",  # noqa: RUF001
    digests="radar 页面",
    no_digests="还没有页面。",
    cross_list="交叉列出",
)

_BY_LANGUAGE = {"en": ENGLISH, "zh": CHINESE}
# Names people write for the same languages in `language:` besides their codes.
_ALIASES = {"english": "en", "chinese": "zh", "中文": "zh", "汉语": "zh", "简体中文": "zh"}


def labels_for(language: str) -> Labels:
    """The labels for `language` ("en", "zh", "zh-CN", "Chinese", ...); English otherwise."""
    wanted = language.strip().lower()
    wanted = _ALIASES.get(wanted, wanted)
    return _BY_LANGUAGE.get(wanted.replace("_", "-").split("-")[0], ENGLISH)


def plural(pair: tuple[str, str], n: int) -> str:
    """The pair's singular or plural form with `n` filled in."""
    return pair[n != 1].format(n=n)
