"""Messy web text → clean simplified text for extraction, with a map back to the original.

What goes: navigation and breadcrumb lines, share buttons and "点击关注" prompts, ads and contact
lines (phone numbers, 微信号, 扫码), editor bylines (责任编辑/编辑/来源/作者/记者…), copyright
and ICP lines, picture credits, "相关文章/相关推荐/推荐阅读…" and everything after them, and
lines with no Chinese at all. What changes: traditional characters become simplified (opencc's
character dictionary, one character for one, so offsets hold), full-width digits, letters and
punctuation become ASCII, inline pinyin annotations (張(zhāng)掖(yè)) are removed, spaces
between Chinese and digits are dropped, Chinese numerals before a unit become digits (十五个 →
15个, 一百二十亿元 → 120亿元), and a paragraph broken mid-sentence is rejoined.

Every piece of the output is tied to the stretch of the original it came from
(`Normalised.segments`), so a span of the normalised text maps back for citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

from parklink.intel.extract.types import map_offset

Segment = tuple[int, int, int, bool]


@dataclass(frozen=True)
class Normalised:
    text: str
    original: str
    segments: tuple[Segment, ...]
    traditional: bool
    published: date | None  # a date line found in the article's header or byline

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return map_offset(self.segments, start, False), map_offset(self.segments, end, True)


# ---------------------------------------------------------------- character tables (1:1)

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x200B: 0x20})
_FULLWIDTH.update({0x200C: 0x20, 0x200D: 0x20, 0xFEFF: 0x20, 0x0D: 0x0A, 0x09: 0x20})
# Chinese sentence punctuation stays Chinese: the extractor splits on it.
for _keep in "，。！？；：（）":
    _FULLWIDTH.pop(ord(_keep), None)
_FULLWIDTH.update({ord("，"): ord(","), ord("；"): ord(";"), ord("："): ord(":")})
_FULLWIDTH.update(
    {ord("！"): ord("!"), ord("？"): ord("?"), ord("（"): ord("("), ord("）"): ord(")")}
)

_FULLWIDTH_CHARS = re.compile(
    "[" + "".join(re.escape(chr(code)) for code in sorted(_FULLWIDTH)) + "]"
)


def _to_halfwidth(match: re.Match[str]) -> str:
    return chr(_FULLWIDTH[ord(match.group())])


def _opencc_dictionary(name: str) -> str:
    import opencc

    return (Path(opencc.__file__).parent / "dictionary" / name).read_text("utf-8")


@cache
def _t2s_table() -> tuple[dict[int, int], frozenset[str]]:
    """opencc's traditional → simplified characters, one for one, and the marker set.

    A character that is also a simplified character (著, 乾, 於…) converts only inside an
    article that reads as traditional; the markers are the traditional-only characters.
    """
    table: dict[int, int] = {}
    also_simplified: set[str] = set()
    for line in _opencc_dictionary("TSCharacters.txt").splitlines():
        source, _, targets = line.partition("\t")
        candidates = targets.split(" ") if targets else []
        target = candidates[0] if candidates else ""
        if len(source) == 1 and len(target) == 1 and source != target:
            table[ord(source)] = ord(target)
            if source in candidates:
                also_simplified.add(source)  # 乾 → 干 or 乾: both are simplified characters
    simplified = set()
    for line in _opencc_dictionary("STCharacters.txt").splitlines():
        source = line.partition("\t")[0]
        if len(source) == 1:
            simplified.add(source)
    markers = frozenset(
        chr(c) for c in table if chr(c) not in simplified and chr(c) not in also_simplified
    )
    return table, markers


def is_traditional(text: str) -> bool:
    """True when traditional-only characters make up more than 2% of the Chinese (or 8+)."""
    _, markers = _t2s_table()
    if markers.isdisjoint(text):  # most articles: one pass over the text, no counting
        return False
    hits = sum(text.count(char) for char in markers.intersection(text))
    if hits >= 8:
        return True
    if not hits:
        return False
    han = len(_HAN.findall(text)) or 1
    return hits / han > 0.02


# ---------------------------------------------------------------- boilerplate lines

_CUT = re.compile(
    r"^[\W_]*(?:相关(?:文章|推荐|阅读|新闻|链接|报道|资讯)|推荐阅读|延伸阅读|热门(?:推荐|文章|新闻)"
    r"|猜你喜欢|往期(?:回顾|推荐|精彩)|更多(?:阅读|新闻|精彩)|精彩推荐|热点(?:推荐|新闻)|最新文章"
    r"|发表(?:回复|评论)|网友评论|我要评论)[\W_]*$"
)
_DROP = re.compile(
    r"(?:^|[\s【\[(])(?:责任编辑|编辑|来源|作者|记者|审核|校对|通讯员|供稿|图片来源|图片|摄影|摄|图文|"
    r"文/图|文图|本文来源|原标题|初审|二审|三审|终审|审校|监制|出品|撰稿|编审|排版|美编|统筹)"
    r"\s*[::|/]"
    r"|版权所有|版权声明|版权归|Copyright|©|ICP备|ICP证|公网安备|网站标识码|网站地图|联系我们|关于我们"
    r"|主办单位|承办单位|技术支持|许可证|如若转载|转载请注明|未经授权|禁止转载|免责声明"
    r"|分享到|分享给朋友|分享至|点击关注|关注我们|关注公众号|点击蓝字|长按|扫一扫|扫码|二维码|微信号"
    r"|阅读原文|打印本页|关闭窗口|字体[::]?\s*大|【大\s*中\s*小】|浏览次数|阅读量|点赞|在看|赞赏"
    r"|上一篇|下一篇|返回顶部|返回列表|当前位置|您的位置|首页\s*[>›»]|热线[::]|广告|订阅"
    r"|(?<!\d)1[3-9]\d{9}(?!\d)|400[\s-]?\d{3,4}[\s-]?\d{3,4}|邮箱地址不会被公开|必填项",
    re.IGNORECASE,
)
_NAV_SEPARATORS = re.compile(r"\s*[|>›»·/]\s*")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|[((][一二三四五六七八九十\d]+[))]|\d+[、.])"
)
_TERMINAL = "。!?;:”’」』)》…\"'"

_DATE = re.compile(r"(20\d{2}|19\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")


def _is_boilerplate(line: str) -> bool:
    if not _HAN.search(line):
        return True
    short = len(line) <= 80
    if short and _DROP.search(line):
        return True
    if short and "。" not in line:
        parts = [p for p in _NAV_SEPARATORS.split(line) if p]
        if len(parts) >= 4 and sum(len(p) for p in parts) / len(parts) <= 8:
            return True  # a navigation bar: 首页 | 新闻 | 政务公开 | …
    return False


# ---------------------------------------------------------------- in-line rewrites

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_TONED = re.compile(
    rf"(?<=[\u4e00-\u9fff])\(([a-zü]{{0,6}}[{_TONED}][a-zü{_TONED}]{{0,6}})\)"
)
_PINYIN_ANY = re.compile(rf"(?<=[\u4e00-\u9fff])\(([a-zü{_TONED}]{{1,6}}[1-5]?)\)")
_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_NUMERAL = re.compile(
    rf"([{_CN_DIGITS}十百千点]+)(?=万亿|亿|万|千万|个|家|项|台|套|条|座|批|名|吨|户|栋)"
)
_SPACE = re.compile(
    r"(?<=[\u4e00-\u9fff\dA-Za-z%,。、;:+×])[ ]+(?=[\u4e00-\u9fff])"
    r"|(?<=[\u4e00-\u9fff])[ ]+(?=[\dA-Za-z(+×])"
    r"|(?<=\d)[ ]+(?=\.\d)|(?<=\d\.)[ ]+(?=\d)"
)
_EMOJI = re.compile(
    "[0-9#*]\ufe0f?\u20e3"  # keycaps: 1️⃣ numbers a list item, it is not a digit of the text
    "|[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d\u20e3\u2b50\u2b06\u2b07\u2934\u2935]+"
)
_DIGIT_VALUE = {ch: str(i) for i, ch in enumerate("零一二三四五六七八九")}
_DIGIT_VALUE.update({"〇": "0", "两": "2"})


def chinese_numeral(text: str) -> str | None:
    """一百二十 → 120, 三点五 → 3.5, 二〇二五 → 2025; None when it is not a number."""
    if not text or text in {"点", "十点"}:
        return None
    if not any(ch in "十百千点" for ch in text):
        return "".join(_DIGIT_VALUE[ch] for ch in text) if len(text) > 1 or text != "零" else "0"
    try:
        import cn2an

        value = cn2an.cn2an(text.replace("两", "二"), "normal")
    except (ValueError, KeyError, IndexError):
        return None
    return _format_number(value)


def _format_number(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@cache
def _numeral(text: str) -> str | None:
    # "一" before 个/家 reads as an article more often than a count: keep "一个" as 1个 anyway;
    # single 十/百/千 before 亿/万 (百亿元) are multipliers in their own right.
    return chinese_numeral(text)


class _Builder:
    """Collects output pieces and the segment table that maps them back."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.segments: list[Segment] = []
        self.length = 0

    def same(self, text: str, orig_start: int) -> None:
        if text:
            self.segments.append((self.length, orig_start, orig_start + len(text), True))
            self.parts.append(text)
            self.length += len(text)

    def replaced(self, text: str, orig_start: int, orig_end: int) -> None:
        if text:
            self.segments.append((self.length, orig_start, orig_end, False))
            self.parts.append(text)
            self.length += len(text)

    def last_char(self) -> str:
        return self.parts[-1][-1] if self.parts else ""


def _rewrite(line: str, start: int, out: _Builder, pinyin: re.Pattern[str] | None) -> None:
    """Copy one kept line, dropping pinyin annotations and stray spaces, converting numerals."""
    edits: list[tuple[int, int, str]] = []
    if pinyin is not None and "(" in line:
        edits.extend((m.start(), m.end(), "") for m in pinyin.finditer(line))
    if " " in line:
        edits.extend((m.start(), m.end(), "") for m in _SPACE.finditer(line))
    if _EMOJI.search(line):
        edits.extend((m.start(), m.end(), "") for m in _EMOJI.finditer(line))
    for match in _CN_NUMERAL.finditer(line):
        value = _numeral(match.group(1))
        if value is not None and value != match.group(1):
            edits.append((match.start(1), match.end(1), value))
    if not edits:
        out.same(line, start)
        return
    edits.sort()
    cursor = 0
    for edit_start, edit_end, replacement in edits:
        if edit_start < cursor:
            continue
        out.same(line[cursor:edit_start], start + cursor)
        if replacement:
            out.replaced(replacement, start + edit_start, start + edit_end)
        cursor = edit_end
    out.same(line[cursor:], start + cursor)


def _find_published(lines: list[tuple[int, str]]) -> date | None:
    for _, line in lines[:20]:
        match = _DATE.search(line)
        if match:
            found = _safe_date(match)
            if found:
                return found
    return None


def _safe_date(match: re.Match[str]) -> date | None:
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


_LINE = re.compile(r"[^\n]*")


def normalise(raw: str) -> Normalised:
    """Clean `raw` for extraction; see the module's docstring for what changes."""
    table, _ = _t2s_table()
    text = _FULLWIDTH_CHARS.sub(_to_halfwidth, raw)  # str.translate reads every character
    traditional = is_traditional(text)
    if traditional:
        text = text.translate(table)
    lines: list[tuple[int, str]] = []
    for match in _LINE.finditer(text):
        line = match.group()
        stripped = line.strip()
        if stripped:
            lines.append((match.start() + (len(line) - len(line.lstrip())), stripped))
    published = _find_published(lines)
    kept: list[tuple[int, str]] = []
    body_chars = 0
    teasers = False
    for start, line in lines:
        if len(line) <= 20 and _CUT.match(line):
            if body_chars >= 80:
                break
            teasers = True  # a "热点推荐" block above the article: its headlines go too
            continue
        if teasers:
            if len(line) <= 40 and "。" not in line:
                continue
            teasers = False
        if _is_boilerplate(line):
            continue
        kept.append((start, line))
        body_chars += len(line)
    kept = _without_link_lists(kept)
    toned = len(_PINYIN_TONED.findall(text))
    pinyin = _PINYIN_ANY if toned >= 3 else (_PINYIN_TONED if toned else None)
    out = _Builder()
    previous = ""
    for index, (start, line) in enumerate(kept):
        if index:
            if _broken(previous, line):
                pass  # rejoin a paragraph broken mid-sentence
            else:
                out.replaced("\n", start, start)
        _rewrite(line, start, out, pinyin)
        previous = line
    return Normalised(
        text="".join(out.parts),
        original=raw,
        segments=tuple(out.segments),
        traditional=traditional,
        published=published,
    )


_TEASER = re.compile(
    r"^[·•●▪■◆►▶>\-*]\s*\S|(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)\s*$"
)


def _without_link_lists(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop runs of three or more link-like lines (short, no sentence end, a bullet before or a
    date after): a sidebar of headlines about other places, wherever it sits."""
    teaser = [
        len(line) <= 48 and not re.search("[。;]", line) and bool(_TEASER.search(line))
        for _, line in lines
    ]
    keep = [True] * len(lines)
    index = 0
    while index < len(lines):
        if not teaser[index]:
            index += 1
            continue
        end = index
        while end < len(lines) and teaser[end]:
            end += 1
        if end - index >= 3:
            for i in range(index, end):
                keep[i] = False
        index = end
    return [line for line, kept in zip(lines, keep, strict=True) if kept]


def _broken(previous: str, line: str) -> bool:
    """A paragraph cut mid-sentence: a long line with full sentences that stops without
    punctuation, followed by a line that carries on (not a heading)."""
    if not previous or previous[-1] in _TERMINAL or len(previous) < 30:
        return False
    if "。" not in previous and len(previous) < 100:
        return False
    if not (_HAN.match(line[0]) or line[0].isdigit()) or _HEADING_START.match(line):
        return False
    return "。" in line or len(line) >= 30


def package_file(name: str) -> str:
    return resources.files("parklink.intel.extract").joinpath(name).read_text("utf-8")
