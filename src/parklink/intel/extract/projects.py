"""From normalised text to projects and article totals.

Each money figure is given to one owner, tried in this order: the items of a list it
qualifies ("A、B等6个投资5亿元以上项目": each at least 5亿元); a count of projects in its clause
(an article total: "首批15个项目,一期投资额超10亿元"); the name right after "的" ("总投资150亿元
的X项目"); the nearest name on its left in the same clause group; an anaphor (该项目/项目/其)
pointing back to the last project named; the object named after it ("投资18.8亿元…建成X园区").
A figure in a region's cumulative statement ("全市累计…", "今年以来…") with no name of its own
belongs to no project. A project is kept when it carries a figure or a stage.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from parklink.intel.extract import dates as dates_mod
from parklink.intel.extract import money, names, ner, places, stages
from parklink.intel.extract.types import (
    INVESTMENT_KINDS,
    Amount,
    ArticleTotal,
    ExtractedProject,
    Field,
    Span,
)

_PART_END = "。!?;\n"
_ANAPHOR = re.compile(
    r"(?:该|本|此|这个|这一)(?:项目|基地|工厂|厂|园区|产业园|工程|中心|电站)|^\W*(?:项目|其)"
)
_PLURAL = re.compile(r"(?:这些|这批|上述|以上|首批|此次|本次)[^,。;]{0,8}项目")
_REGIONAL = re.compile(
    r"全市|全县|全区|全省|全州|全国|全园|全镇|园区(?:累计|已)|今年以来|年以来|截至|至目前|目前已|"
    r"\d+-\d+月|上半年|下半年|一季度|前三季度|全年|同比|累计招引|累计引进|累计签约|招引落地"
)
_COUNT = re.compile(
    r"(\d+)\s*(?:个|项|批)(?:[^,。;\n]{0,20}?)项目|项目(?:共|总数|数量)?(?:达|为|有)?(\d+)\s*(?:个|项)"
)
_SECTORS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("新能源汽车", re.compile(r"新能源汽车|整车|动力电池|电动汽车")),
    (
        "新能源",
        re.compile(r"光伏|储能|锂电|氢能|制氢|风电|新能源|清洁能源|电池|绿电|水电|核电|光热"),
    ),
    ("集成电路", re.compile(r"芯片|半导体|集成电路|晶圆|封装测试|氮化镓|碳化硅")),
    ("电子信息", re.compile(r"电子|显示|通信|5G|物联网|传感器|光电")),
    ("数字经济", re.compile(r"数据中心|IDC|算力|数字经济|大数据|云计算|人工智能|大模型|软件|数字")),
    ("生物医药", re.compile(r"生物医药|医药|制药|医疗器械|医疗|药|疫苗|生物")),
    ("新材料", re.compile(r"新材料|材料|硅|玄武岩|纤维|铜|铝|合金|化工|特种气体|冶金")),
    (
        "高端装备",
        re.compile(r"装备|增材制造|3D打印|智能制造|机器人|无人机|航空|航天|机械|设备|工厂"),
    ),
    ("文化旅游", re.compile(r"文旅|旅游|文创|酒店|景区|康养|营地")),
    ("农业食品", re.compile(r"农业|养殖|种植|中药材|种子|种业|食品|饮料|农产品|牦牛|马麝|畜|菇")),
    ("现代物流", re.compile(r"物流|仓储|冷链|供应链")),
    ("现代服务业", re.compile(r"总部|金融|商贸|会展|服务|研发中心|结算中心|大厦")),
)


@dataclass
class _Project:
    name: names.Name
    key: str = ""  # its key in the article's table (kept when a headline's name replaces it)
    mentions: list[tuple[int, int]] = field(default_factory=list)  # name spans
    sentences: list[tuple[int, int]] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    stage: tuple[str, int, int] | None = None
    stage_sentence: tuple[int, int] | None = None
    list_scope: tuple[int, int] | None = None  # a list item: its list and the clause after it


@dataclass(frozen=True)
class _Context:
    text: str
    published: date | None
    gazetteer: places.Gazetteer
    hits: tuple[places.Hit, ...]
    dates: tuple[dates_mod.FoundDate, ...]
    companies: tuple[tuple[int, int, str], ...] = ()
    organisations: bool = False  # ask the LAC tagger for enterprises named without a suffix
    claimed: list[tuple[int, int, str]] = field(default_factory=list)  # mention clauses
    named: list[tuple[int, int, str]] = field(default_factory=list)  # mention spans


def sentences_of(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for index, char in enumerate(text):
        if char in "。!?\n":
            end = index + 1 if char != "\n" else index
            if text[start:end].strip():
                spans.append((start, end))
            start = index + 1
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _part(text: str, sentence: tuple[int, int], position: int) -> tuple[int, int]:
    """The clause group (between semicolons) of `sentence` holding `position`."""
    left = text.rfind(";", sentence[0], position) + 1 or sentence[0]
    right = text.find(";", position, sentence[1])
    return max(left, sentence[0]), (right if right >= 0 else sentence[1])


_RESPECTIVELY = re.compile(r"分别(?:为|是|达|约为|约|达到)?")


def _respectively(
    text: str,
    respectively: re.Match[str],
    sentence: tuple[int, int],
    figures: list[money.Figure],
    mentions: list[tuple[int, int, str]],
    projects: dict[str, _Project],
    consumed: set[int],
) -> None:
    after = [f for f in figures if respectively.end() <= f.start < sentence[1]]
    if not after or after[0].start - respectively.end() > 4 or after[0].start in consumed:
        return
    run = _figure_run(text, after)
    before = [m for m in mentions if sentence[0] <= m[0] < respectively.start()]
    if len(run) < 2 or len(before) < len(run):
        return
    for (_start, _end, key), figure in zip(before[-len(run) :], run, strict=True):
        kind = figure.kind if figure.kind != "unknown" else "total_investment"
        projects[key].amounts.append(_amount(text, figure, sentence, kind=kind))
        if sentence not in projects[key].sentences:
            projects[key].sentences.append(sentence)
        consumed.add(figure.start)


def _figure_run(text: str, figures: list[money.Figure]) -> list[money.Figure]:
    """The figures that follow one another joined by 和/、/及 only (30亿元和25亿元)."""
    run: list[money.Figure] = []
    for figure in figures:
        if run and not re.fullmatch(r"\s*(?:和|、|及|与|,)\s*", text[run[-1].end : figure.start]):
            break
        run.append(figure)
    return run


def _comma_clause(text: str, group: tuple[int, int], position: int) -> tuple[int, int]:
    """The stretch between commas (or colons) of `group` around `position`."""
    left = max(text.rfind(",", group[0], position), text.rfind(":", group[0], position)) + 1
    right_candidates = [i for i in (text.find(",", position, group[1]),) if i >= 0]
    return max(left, group[0]), (right_candidates[0] if right_candidates else group[1])


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _amount(text: str, figure: money.Figure, sentence: tuple[int, int], **extra: object) -> Amount:
    return Amount(
        value=figure.value,
        currency=figure.currency,
        yuan=figure.yuan,
        kind=extra.pop("kind", None) or figure.kind,  # type: ignore[arg-type]
        lower_bound=figure.lower_bound,
        approx=figure.approx,
        span=_span(text, figure.start, figure.end),
        sentence=_span(text, *sentence),
        unit=figure.unit,
        per_item=bool(extra.pop("per_item", False)),
    )


def _key(name: str) -> str:
    return re.sub(r"[“”\"'\s]", "", name)


Found = tuple[tuple[ExtractedProject, ...], tuple[ArticleTotal, ...]]
Answers = list[list[tuple[int, int, str]]]
# An extraction that stops to ask the tagger: it yields the texts to tag, is sent their
# organisations (ner.organisations_many's answer) and returns what it found. Several articles'
# questions can so be answered together (extract_many).
Steps = Generator[list[str], Answers, Found]


def build(
    text: str,
    *,
    published: date | None,
    gazetteer: places.Gazetteer,
    title: str = "",
    organisations: bool = False,
) -> Found:
    """Every project of the article and its totals (the tagger asked directly)."""
    return answer(
        steps(
            text,
            published=published,
            gazetteer=gazetteer,
            title=title,
            organisations=organisations,
        ),
        ner.organisations_many,
    )


_Result = TypeVar("_Result")


def answer(
    asking: Generator[list[str], Answers, _Result], tagger: Callable[[list[str]], Answers]
) -> _Result:
    """Run `asking` to its end, answering each of its questions with `tagger`."""
    try:
        question = next(asking)
        while True:
            question = asking.send(tagger(question))
    except StopIteration as done:
        return done.value


def steps(
    text: str,
    *,
    published: date | None,
    gazetteer: places.Gazetteer,
    title: str = "",
    organisations: bool = False,
) -> Steps:
    companies_found = tuple(names.enterprises(text))
    company_spans = [(start, end) for start, end, _ in companies_found]
    hits = tuple(
        places.confirmed(
            [
                h
                for h in gazetteer.find(text)
                if h.kind != places.REGION or not any(s <= h.start < e for s, e in company_spans)
            ]
        )
    )
    ctx = _Context(
        text,
        published,
        gazetteer,
        hits,
        tuple(dates_mod.find_dates(text, published)),
        companies_found,
        organisations and ner.available(),
    )
    sentences = sentences_of(text)
    figures = money.find_amounts(text)
    capacities = money.find_capacities(text)
    found_names = names.project_names(text)
    lists = names.list_items(text)
    projects: dict[str, _Project] = {}
    order: list[str] = []
    totals: list[ArticleTotal] = []
    total_stages: list[tuple[int, str, int, int]] = []

    def project_for(name: names.Name, sentence: tuple[int, int]) -> _Project:
        key = _key(name.text)
        record = projects.get(key)
        if record is None:
            record = projects[key] = _Project(name, key)
            order.append(key)
        record.mentions.append((name.start, name.end))
        if sentence not in record.sentences:
            record.sentences.append(sentence)
        return record

    sentence_starts = [span[0] for span in sentences]

    def sentence_of(position: int) -> tuple[int, int]:
        index = bisect_right(sentence_starts, position) - 1
        if index >= 0 and sentences[index][0] <= position <= sentences[index][1]:
            return sentences[index]
        return (position, position)

    # List items take the stage of their sentence and any per-item threshold inside the head.
    listed: set[int] = set()
    consumed: set[int] = set()
    for items, head in lists:
        sentence = sentence_of(head.start())
        threshold = [f for f in figures if head.start() <= f.start < head.end()]
        clause_end = text.find(",", head.end(), sentence[1])
        list_start = max(text.rfind(",", sentence[0], items[0].start) + 1, sentence[0])
        scope = (list_start, clause_end if clause_end >= 0 else sentence[1])
        for item in items:
            record = project_for(item, sentence)
            record.list_scope = record.list_scope or scope
            listed.add(item.start)
            for figure in threshold:
                if figure.kind in {"unknown", "other"}:
                    continue
                kind = figure.kind
                record.amounts.append(_amount(text, figure, sentence, per_item=True, kind=kind))
        for figure in threshold:
            consumed.add(figure.start)
        count = int(head.group(1)) if head.group(1) else None
        amount = _amount(text, threshold[0], sentence, per_item=True) if threshold else None
        if count is not None:
            totals.append(
                ArticleTotal(
                    _span(text, *sentence).text.strip(), count, amount, _span(text, *sentence)
                )
            )

    named = [n for n in found_names if n.start not in listed]
    for name in named:
        project_for(name, sentence_of(name.start))

    mentions_sorted = sorted(
        ((start, end, key) for key, rec in projects.items() for start, end in rec.mentions),
        key=lambda m: m[0],
    )

    def last_named_before(position: int, limit: int) -> str | None:
        best = None
        for start, _end, key in mentions_sorted:
            if start >= position:
                break
            if start >= limit:
                best = key
        return best

    def paragraph_start(position: int) -> int:
        return text.rfind("\n", 0, position) + 1

    # "A项目和B项目总投资分别为30亿元和25亿元": the figures go to the names in order.
    for sentence in sentences:
        for respectively in _RESPECTIVELY.finditer(text, sentence[0], sentence[1]):
            _respectively(
                text, respectively, sentence, figures, mentions_sorted, projects, consumed
            )
    for figure in figures:
        if figure.start in consumed:
            continue
        sentence = sentence_of(figure.start)
        part = _part(text, sentence, figure.start)
        in_part = [m for m in mentions_sorted if part[0] <= m[0] < part[1]]
        before = text[part[0] : figure.start]
        owner: str | None = None
        # "总投资150亿元的X项目": the name right after 的.
        for start, _end, key in in_part:
            gap = text[figure.end : start]
            if (
                start >= figure.end
                and len(gap) <= 30
                and "的" in gap
                and not re.search(r"[,:]", gap)
            ):
                owner = key
                break
        count_match = _COUNT.search(text, part[0], part[1])
        if owner is None and count_match and not [m for m in in_part if m[0] < figure.start]:
            if figure.kind in INVESTMENT_KINDS or figure.kind == "unknown":
                number = count_match.group(1) or count_match.group(2)
                kind = figure.kind if figure.kind != "unknown" else "total_investment"
                totals.append(
                    ArticleTotal(
                        _span(text, *part).text.strip(),
                        int(number) if number else None,
                        _amount(text, figure, sentence, kind=kind),
                        _span(text, *part),
                    )
                )
                _note_total_stage(text, part, total_stages)
            continue
        if owner is None:
            left = [m for m in in_part if m[1] <= figure.start]
            if len(left) >= 2 and _enumeration(text, left[-2], left[-1], figure):
                # "A、B和C,计划总投资21.6亿元": the figure is the listed projects' together.
                totals.append(
                    ArticleTotal(
                        _span(text, *part).text.strip(),
                        len(_enumerated(text, left)),
                        _amount(text, figure, sentence),
                        _span(text, *part),
                    )
                )
                _note_total_stage(text, (sentence[0], part[1]), total_stages)
                continue
            if left:
                owner = left[-1][2]
        if owner is None and _REGIONAL.search(before) and not _ANAPHOR.search(before):
            continue
        if (
            owner is None
            and _PLURAL.search(text, sentence[0], figure.start)
            and (figure.kind in INVESTMENT_KINDS)
        ):
            totals.append(
                ArticleTotal(
                    _span(text, *part).text.strip(),
                    None,
                    _amount(text, figure, sentence),
                    _span(text, *part),
                )
            )
            _note_total_stage(text, part, total_stages)
            continue
        if owner is None and (
            _ANAPHOR.search(text[part[0] : figure.start])
            or _ANAPHOR.search(text[sentence[0] : figure.start])
        ):
            # 该项目: the last project named in this paragraph or the one before, else the next
            # one named within a few lines (a report may name it only after the figure).
            here = paragraph_start(figure.start)
            owner = last_named_before(figure.start, max(0, here - 400))
            if owner is None:
                after = [m for m in mentions_sorted if figure.end <= m[0] < figure.end + 300]
                owner = after[0][2] if after else None
        if owner is None:
            right = [m for m in in_part if m[0] >= figure.end]
            if right and figure.kind in INVESTMENT_KINDS:
                owner = right[0][2]
        if owner is None:
            continue
        record = projects[owner]
        kind = figure.kind
        if kind == "unknown":
            kind = "total_investment" if _directly_after(text, record, figure) else "other"
        if kind == "other":
            continue
        record.amounts.append(_amount(text, figure, sentence, kind=kind))
        if sentence not in record.sentences:
            record.sentences.append(sentence)

    for capacity in capacities:
        sentence = sentence_of(capacity.start)
        for key in order:
            record = projects[key]
            if any(s <= capacity.start < e for s, e in record.mentions):
                record.amounts.append(_amount(text, capacity, sentence))

    # Stages: the most advanced stage any mention's clause group states.
    for key in order:
        record = projects[key]
        for start, _end in record.mentions:
            sentence = sentence_of(start)
            part = _part(text, sentence, start)
            # A sentence about several projects: only the words after this name, up to the
            # next name, speak of it; a sentence about one speaks of it throughout.
            others = [m for m in mentions_sorted if part[0] <= m[0] < part[1] and m[2] != key]
            listed_item = record.name.how == "list"
            scope_start = (
                part[0] if listed_item or not [m for m in others if m[0] < start] else start
            )
            following = [m[0] for m in others if m[0] > start]
            scope_end = part[1]
            if following and not _shares_predicate(text, start, following[0]):
                scope_end = following[0]
            if listed_item and record.list_scope:
                scope_start, scope_end = record.list_scope
            found = stages.find_stage(text, scope_start, scope_end)
            if found and (
                record.stage is None
                or stages.ORDER.index(found[0]) > stages.ORDER.index(record.stage[0])
            ):
                record.stage = found
                record.stage_sentence = sentence
        if record.stage is None:
            for sentence in record.sentences:
                if any(sentence[0] <= m[0] < sentence[1] and m[2] != key for m in mentions_sorted):
                    continue  # another project's verbs are in this sentence
                found = stages.find_stage(text, *sentence)
                if found:
                    record.stage = found
                    record.stage_sentence = sentence
                    break
        first = record.mentions[0][0]
        inherited = [t for t in total_stages if first - 2000 < t[0] < first]
        if inherited and (record.stage is None or record.stage[0] == "planned"):
            position, stage, verb_start, verb_end = inherited[-1]
            if record.stage is None or stages.ORDER.index(stage) > 0:
                record.stage = (stage, verb_start, verb_end)
                record.stage_sentence = sentence_of(position)

    for key in order:
        record = projects[key]
        spent = [a for a in record.amounts if a.kind == "cumulative_spend"]
        if spent and (record.stage is None or record.stage[0] in {"planned", "signed", "started"}):
            # "已完成投资3.2亿元": money is being spent on site, so it is being built.
            record.stage = ("under_construction", spent[0].span.start, spent[0].span.end)
            record.stage_sentence = (spent[0].sentence.start, spent[0].sentence.end)
    article_place = _article_place(text, title, ctx)
    _merge_title_mentions(text, projects, order)
    for key in order:
        for start, end in projects[key].mentions:
            sentence = sentence_of(start)
            clause = _comma_clause(text, _part(text, sentence, start), start)
            ctx.claimed.append((clause[0], clause[1], key))
            ctx.named.append((start, end, key))
    selected: list[_Project] = []
    for key in order:
        record = projects[key]
        if not record.amounts and record.stage is None:
            continue
        if record.name.how in {"subject", "object"} and not any(
            a.is_investment for a in record.amounts
        ):
            continue  # a park or building named in passing, not a project the article reports
        selected.append(record)
    enterprises_of = [_companies(record, ctx) for record in selected]
    if ctx.organisations:
        yield from _tag_unnamed(selected, enterprises_of, ctx)
    result = [
        _finish(record, ctx, article_place, companies)
        for record, companies in zip(selected, enterprises_of, strict=True)
    ]
    return tuple(result), tuple(totals)


def _tag_unnamed(
    selected: list[_Project], found: list[dict[str, Field]], ctx: _Context
) -> Generator[list[str], Answers, None]:
    """No company name around a project: ask the tagger about its name; for those still without
    an enterprise (unless an item of a list, whose clause names the other items), about their
    clause group, without the names of the projects that are not asked about: an organisation
    inside another project's name is that project's, never this one's, so those characters need
    not be read, and a group shared by several projects is read once. Each round asks about all
    the article's projects at once (one padded run of the encoder)."""
    pending: list[tuple[_Project, dict[str, Field], tuple[int, int] | None]] = []
    for record, companies in zip(selected, found, strict=True):
        if companies:
            continue
        group = None
        if record.name.how != "list":
            start = record.mentions[0][0]
            sentence = next(
                (s for s in record.sentences if s[0] <= start < s[1]), record.sentences[0]
            )
            group = _part(ctx.text, sentence, start)
        pending.append((record, companies, group))
    names = [(r.name.start, r.name.end) for r, _, _ in pending]
    answers = yield [ctx.text[a:b] for a, b in names]
    later = []
    for (record, companies, group), window, answer in zip(pending, names, answers, strict=True):
        _tag_organisations(ctx.text, record, window, ctx, companies, answer)
        if not companies and group is not None:
            later.append((record, companies, group))
    if not later:
        return
    asking = {record.key for record, _, _ in later}
    # The projects asked about keep their names in the text read: an organisation inside a
    # name may show only in its sentence (蓝岳 in a list of four projects, not in its name alone).
    pieces = {group: _outside_names(ctx, asking, group) for _, _, group in later}
    asked = list(dict.fromkeys(piece for group in pieces.values() for piece in group))
    told = yield [ctx.text[a:b] for a, b in asked]
    answered = dict(zip(asked, told, strict=True))
    for record, companies, group in later:
        for piece in pieces[group]:
            _tag_organisations(ctx.text, record, piece, ctx, companies, answered[piece])


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _outside_names(
    ctx: _Context, asking: set[str], window: tuple[int, int]
) -> list[tuple[int, int]]:
    """The stretches of `window` outside the names of projects not in `asking`, each with at
    least two Chinese characters besides the words figures are written with."""
    cuts = sorted(
        (max(a, window[0]), min(b, window[1])) for a, b, key in ctx.named if key not in asking
    )
    pieces, position = [], window[0]
    for cut_start, cut_end in cuts:
        if cut_end <= position or cut_start >= window[1]:
            continue
        if cut_start > position:
            pieces.append((position, cut_start))
        position = max(position, cut_end)
    if position < window[1]:
        pieces.append((position, window[1]))
    return [
        (a, b) for a, b in pieces if len(_CJK.findall(_FIGURE_WORDS.sub("", ctx.text[a:b]))) >= 2
    ]


# What a figure between two names of a list is written with ("(总投资超72亿元)、"): a piece
# holding nothing else names no organisation and is not read.
_FIGURE_WORDS = re.compile(
    r"计划总投资|总投资|计划投资|投资总额|投资额|投资|总额|金额|一期|二期|三期|分别为|分别|人民币"
    r"|[万亿]?(?:元|美元|欧元|日元|港元|英镑)|亿|以上|左右|[约超逾近达为等及和、]"
)


def _merge_title_mentions(text: str, projects: dict[str, _Project], order: list[str]) -> None:
    """A project named in the headline and again in the body is one project: merge the
    headline mention into the body project that has the same figure, shares a run of 4+
    characters of its name, or is reported in a sentence using 4+ characters of the headline's
    name ("荣盛石化舟山绿色石化基地新材料项目签约" / "荣盛石化在舟山绿色石化基地投资建设高端新材料
    项目"); the best such body project wins."""
    title_end = text.find("\n")
    if title_end < 0:
        return
    for key in list(order):
        record = projects[key]
        if any(start > title_end for start, _ in record.mentions):
            continue
        figure = headline(record.amounts)
        best: tuple[int, str, bool] | None = None  # (score, key, contained)
        for other_key in order:
            other = projects[other_key]
            if other_key == key or not any(s > title_end for s, _ in other.mentions):
                continue
            if other.name.how in {"subject", "object"} and not any(
                a.is_investment for a in other.amounts
            ):
                continue  # a name in passing, dropped later: not where a headline belongs
            theirs = headline(other.amounts)
            same_figure = figure is not None and theirs is not None and figure.value == theirs.value
            if figure is not None and theirs is not None and not same_figure:
                continue
            contained = len(other_key.removesuffix("项目")) >= 3 and (
                other_key in key or key in other_key
            )
            in_context = max(
                (_common_run(key, text[a:b]) for a, b in other.sentences if a > title_end),
                default=0,
            )
            score = 100 if same_figure else 0
            score += max(_common_run(key, other_key) * 2, 20 if contained else 0, in_context)
            if (same_figure or score >= 4) and (best is None or score > best[0]):
                best = (score, other_key, contained)
        if best is None:
            continue
        _score, other_key, contained = best
        other = projects[other_key]
        other.mentions[:0] = record.mentions
        other.sentences[:0] = [s for s in record.sentences if s not in other.sentences]
        if figure is not None and headline(other.amounts) is None:
            other.amounts.extend(record.amounts)
        if other.stage is None:
            other.stage, other.stage_sentence = record.stage, record.stage_sentence
        if contained and len(key) > len(other_key):
            other.name = record.name  # the headline's fuller name: 宁德时代…电池厂项目
        order.remove(key)
        del projects[key]


def _common_run(a: str, b: str) -> int:
    a, b = a.removesuffix("项目"), b.removesuffix("项目")
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def _enumeration(
    text: str, first: tuple[int, int, str], last: tuple[int, int, str], figure: money.Figure
) -> bool:
    """The two names are joined by 、/和/及 and the figure follows the last after a comma,
    with a word of sum or plan (共/合计/总计/计划总投资…) or none at all."""
    joined = text[first[1] : last[0]] in {"、", "和", "及", "与", "以及"}
    between = text[last[1] : figure.start]
    return (
        joined
        and between.startswith(",")
        and bool(
            re.fullmatch(
                r",(?:共|合计|总计|累计|计划|总|共计|估算)*(?:总投资|投资|总额)?(?:约|超|近|逾)?",
                between,
            )
        )
    )


def _enumerated(text: str, left: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    run = [left[-1]]
    for previous in reversed(left[:-1]):
        if text[previous[1] : run[0][0]] in {"、", "和", "及", "与", "以及"}:
            run.insert(0, previous)
        else:
            break
    return run


def _directly_after(text: str, record: _Project, figure: money.Figure) -> bool:
    """ "X项目(10亿元)" / "X项目,10亿元": the figure follows the name with nothing else between."""
    for _start, end in record.mentions:
        gap = text[end : figure.start]
        if 0 <= figure.start - end <= 4 and re.fullmatch(r"[,(:\s]*", gap):
            return True
    return False


def _shares_predicate(text: str, start: int, following: int) -> bool:
    """ "A项目、B项目建成投产": names joined by 、/和/及 share the verb after the last one."""
    between = text[start:following]
    return bool(re.fullmatch(r"[^,;。]*?(?:、|和|及|与)", between))


def _note_total_stage(
    text: str, part: tuple[int, int], out: list[tuple[int, str, int, int]]
) -> None:
    found = stages.find_stage(text, *part)
    if found:
        out.append((part[0], found[0], found[1], found[2]))


def _article_place(text: str, title: str, ctx: _Context) -> tuple[places.Hit, str] | None:
    head = title or text[:200]
    head_hits = ctx.gazetteer.find(head) if title else [h for h in ctx.hits if h.start < 200]
    return places.resolve(head_hits, ctx.hits)


def _companies(record: _Project, ctx: _Context) -> dict[str, Field]:
    """Enterprises: company names in the clause groups of the project's sentences."""
    text = ctx.text
    companies: dict[str, Field] = {}
    # The narrowest window that names a company wins: the comma clause of a mention (a list
    # "A项目投资X,B项目投资Y" gives each its own), then its clause group, then the figures'.
    narrow: list[tuple[int, int]] = []
    wide: list[tuple[int, int]] = []
    for start, _end in record.mentions:
        sentence = next((s for s in record.sentences if s[0] <= start < s[1]), None)
        if sentence is not None:
            group = _part(text, sentence, start)
            narrow.append(_comma_clause(text, group, start))
            wide.append(group)
    for amount in record.amounts:
        wide.append(_part(text, (amount.sentence.start, amount.sentence.end), amount.span.start))
    key = record.key
    others = [(a, b) for a, b, owner in ctx.claimed if owner != key]
    for windows in (narrow, wide):
        for window in dict.fromkeys(windows):
            sentence = next((s for s in record.sentences if s[0] <= window[0] < s[1]), window)
            for start, end, company in ctx.companies:
                if windows is wide and any(a <= start < b for a, b in others):
                    continue  # named in another project's own clause
                if window[0] <= start and end <= window[1]:
                    companies.setdefault(
                        company, Field(company, _span(text, start, end), _span(text, *sentence))
                    )
            for hit in ctx.hits:
                if hit.kind == places.ENTERPRISE and window[0] <= hit.start < window[1]:
                    companies.setdefault(
                        hit.name,
                        Field(hit.name, _span(text, hit.start, hit.end), _span(text, *sentence)),
                    )
        if companies:
            break
    return companies


def _finish(
    record: _Project,
    ctx: _Context,
    article_place: tuple[places.Hit, str] | None,
    companies: dict[str, Field],
) -> ExtractedProject:
    text = ctx.text
    first_sentence = record.sentences[0]
    name = Field(
        record.name.text,
        _span(text, record.name.start, record.name.end),
        _span(text, *first_sentence),
    )
    place_field, adcode, park_field = _place(record, ctx, article_place)
    sector = _sector(text, record)
    stage, stage_date = "unknown", None
    if record.stage is not None:
        stage = record.stage[0]
        stage_date = _date_near(ctx, record.stage_sentence, record.stage[1])
        if stage_date is None:
            stage_date = _date_elsewhere(ctx, record, stage)
    amounts = tuple(record.amounts)
    evidence = tuple(_span(text, *s) for s in record.sentences)
    return ExtractedProject(
        name=name,
        enterprises=tuple(companies.values()),
        amounts=amounts,
        investment=headline(amounts),
        place=place_field,
        adcode=adcode,
        park=park_field,
        sector=sector,
        stage=stage,
        stage_date=stage_date,
        evidence=evidence,
    )


_GEOGRAPHY = re.compile(r"[畔边岸旁侧滨]|河畔|江畔|沿岸")  # 青白江畔: the river, not the district
_ANCHOR = re.compile(
    r"(?:落户|落地|位于|选址|坐落|坐落于|建于|布局|入驻|扎根|安家|定址)(?:在|于)?$"
)


def _place(
    record: _Project, ctx: _Context, article_place: tuple[places.Hit, str] | None
) -> tuple[Field | None, str | None, Field | None]:
    """(place, adcode, park) of a project, from the most telling mention:

    1. a place the project's sentences anchor it to (落户/落地/位于… X, or X + a zone suffix:
       张掖经开区), the most specific;
    2. a place inside its name (酒泉经开区…产业园项目);
    3. a place the headline anchors (…基地落户赣州);
    4. the most specific place its sentences name;
    5. the nearest place named before it in its paragraph or the two before;
    6. the article's place (the headline's, or the first lines').
    A province or city found early is refined by a place inside it that the paragraph or the
    article names more precisely (四川时代… in an article about 宜宾 → 宜宾市)."""
    text = ctx.text
    sentences = record.sentences
    in_sentences = [h for h in ctx.hits if any(a <= h.start < b for a, b in sentences)]
    park_field: Field | None = None
    for hit in in_sentences:
        sentence = next(sp for sp in sentences if sp[0] <= hit.start < sp[1])
        if hit.kind == places.PARK:
            park_field = Field(hit.name, _span(text, hit.start, hit.end), _span(text, *sentence))
            break
        zone = places.park_after(text, hit) if hit.kind == places.REGION else None
        if zone:
            park_field = Field(text[zone[0] : zone[1]], _span(text, *zone), _span(text, *sentence))
            break
    in_sentences = [h for h in in_sentences if not _GEOGRAPHY.match(text, h.end)]
    anchored = [
        h
        for h in in_sentences
        if _ANCHOR.search(text, max(0, h.start - 5), h.start)
        or (h.kind == places.REGION and places.park_after(text, h))
        or h.kind == places.PARK
    ]
    in_name = [h for h in ctx.hits if record.name.start <= h.start < record.name.end]
    first = record.mentions[0][0]
    paragraph = text.rfind("\n", 0, first) + 1
    for _ in range(2):
        paragraph = text.rfind("\n", 0, max(paragraph - 1, 0)) + 1
    before = [h for h in ctx.hits if paragraph <= h.start < first]
    title_end = text.find("\n") if text.find("\n") >= 0 else 0
    in_title = [
        h
        for h in ctx.hits
        if h.start < title_end and _ANCHOR.search(text, max(0, h.start - 5), h.start)
    ]
    choice: tuple[places.Hit, str] | None = None
    for group in (anchored, in_name, in_title, in_sentences):
        choice = places.resolve(group, ctx.hits)
        if choice:
            break
    if choice is None and before:
        choice = places.resolve([before[-1]], ctx.hits)
    if choice is None:
        choice = article_place
    if choice is None:
        return None, None, park_field
    hit, code = choice
    context = [*in_sentences, *before, *([article_place[0]] if article_place else [])]
    refined = _refine(code, context, ctx)
    if refined:
        hit, code = refined
    span = _span(text, hit.start, hit.end) if text[hit.start : hit.end] == hit.name else None
    around = next((sp for sp in sentences if sp[0] <= hit.start < sp[1]), None)
    place_field = Field(hit.name, span, _span(text, *around) if around else None)
    if park_field is not None and park_field.span is not None:
        own = [h for h in ctx.hits if h.kind == places.PARK and h.start == park_field.span.start]
        if own and own[0].codes:
            code = own[0].codes[0]
    return place_field, code, park_field


def _refine(code: str, context: list[places.Hit], ctx: _Context) -> tuple[places.Hit, str] | None:
    row = places.region(code)
    if row is None or row.level == "county":
        return None
    inside = [
        h
        for h in context
        if h.kind == places.REGION
        and any((r := places.region(c)) and code in r.path.split("/")[:-1] for c in h.codes)
    ]
    return places.resolve(inside, ctx.hits) if inside else None


def _tag_organisations(
    text: str,
    record: _Project,
    window: tuple[int, int],
    ctx: _Context,
    companies: dict[str, Field],
    answer: list[tuple[int, int, str]],
) -> None:
    """Add the organisations the LAC tagger found in `window` (`answer`, offsets within the
    window), not mere place names."""
    sentence = next((s for s in record.sentences if s[0] <= window[0] < s[1]), window)
    own = record.key
    for org_start, org_end, org in answer:
        start, end = window[0] + org_start, window[0] + org_end
        if any(a < end and start < b for a, b, key in ctx.named if key != own):
            continue  # inside another project's name: that project's enterprise, not this one's
        if org == record.name.text or names.SUFFIX_RE.search(org):
            continue  # the tagger read the project itself as an organisation
        if not _inside_region_name(org, ctx):
            companies.setdefault(
                org,
                Field(
                    org,
                    _span(text, window[0] + org_start, window[0] + org_end),
                    _span(text, *sentence),
                ),
            )


def _inside_region_name(name: str, ctx: _Context) -> bool:
    """A tagged "organisation" that is only a place name (成都高新区) is not an enterprise."""
    return any(h.kind == places.REGION and h.name == name for h in ctx.gazetteer.find(name))


def headline(amounts: Sequence[Amount]) -> Amount | None:
    """The figure a reviewer reads as "the investment": total, then agreed, then phase;
    a stated figure before a list's per-item threshold."""
    ranked = [a for a in amounts if a.is_investment]
    if not ranked:
        return None
    preference = {"total_investment": 0, "agreed_investment": 1, "phase_investment": 2}
    return min(
        ranked,
        key=lambda a: (a.per_item, preference[a.kind], a.currency != "CNY", a.span.start),
    )


def _sector(text: str, record: _Project) -> Field | None:
    windows = [(record.name.start, record.name.end), *record.sentences]
    for window in windows:
        chunk = text[window[0] : window[1]]
        for label, pattern in _SECTORS:
            match = pattern.search(chunk)
            if match:
                start = window[0] + match.start()
                return Field(
                    label, _span(text, start, start + len(match.group())), _span(text, *window)
                )
    return None


def _date_near(ctx: _Context, sentence: tuple[int, int] | None, position: int) -> date | None:
    if sentence is None:
        return None
    inside = [d for d in ctx.dates if sentence[0] <= d.start < sentence[1]]
    if not inside:
        return None
    return min(inside, key=lambda d: abs(d.start - position)).value


def _date_elsewhere(ctx: _Context, record: _Project, stage: str) -> date | None:
    """The date of a stage stated without one in its own sentence: another of the project's
    sentences that states the same stage with a date, else the date a news lede opens its
    paragraph with ("8月8日,…项目举行开工仪式。该项目…")."""
    text = ctx.text
    for sentence in record.sentences:
        found = stages.find_stage(text, *sentence)
        if found and found[0] == stage:
            near = _date_near(ctx, sentence, found[1])
            if near is not None:
                return near
    candidates = [s for s in [record.stage_sentence, *record.sentences] if s is not None]
    cursor = text.find("\n")
    while cursor >= 0:  # the article's lede: its first paragraph of prose
        line_end = text.find("\n", cursor + 1)
        line = text[cursor + 1 : line_end if line_end >= 0 else len(text)]
        if len(line) > 30 and "。" in line:
            candidates.append((cursor + 1, cursor + 1))
            break
        cursor = line_end
    for candidate in candidates:
        paragraph = text.rfind("\n", 0, candidate[0]) + 1
        lede = [d for d in ctx.dates if paragraph <= d.start < paragraph + 12]
        stops = [i for i in (text.find("。", paragraph), text.find("\n", paragraph)) if i >= 0]
        said = stages.find_stage(text, paragraph, min(stops) if stops else len(text))
        if lede and said and said[0] == stage:
            return lede[0].value
    return None


def yuan_number(amount: Amount | None) -> Decimal | None:
    return amount.yuan if amount is not None else None
