"""Project and enterprise names in normalised text.

A project is named as a noun phrase ending in 项目 (or, as the subject of a clause or the object
of 建设/打造/落户…, in 基地/产业园/工厂/中心/电站/生产线/工程…), by a quoted name before 项目
(“新能源+熊猫专列”项目), or as an item of a list whose head is 项目 ("A、B等6个…项目").
Generic phrases (重点项目, 15个帮扶项目, 该项目) are not names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUFFIX = (
    r"(?:项目|基地|产业园|工业园|科技园|物流园|生产基地|工厂|超级工厂|研发中心|数据中心|运营中心|结算中心"
    r"|总部|总部基地|大厦|电站|生产线|产线|工程|机房|综合体|中心|小镇)"
)
SUFFIX_RE = re.compile(
    r"(?:项目|基地|产业园|工业园|科技园|物流园|工厂|数据中心|研发中心|总部|电站|生产线|工程|综合体)$"
)
_PHASE = r"(?:\((?:[一二三四五六首\d]期|[一二三四五]期工程)\)|[一二三四首\d]期(?:工程)?)?"
# A name's characters: Chinese, Latin letters, digits and the joiners names really use.
_NAME_CHAR = r"[\u4e00-\u9fffA-Za-z0-9·\-+×.()&%]"
_NOT_AFTER = r"(?!负责人|经理|部|组|办|总监|管理|负责|人员|建设单位|单位|法人)"
PROJECT = re.compile(
    rf"“([^”“\n]{{2,40}})”项目{_NOT_AFTER}{_PHASE}|({_NAME_CHAR}{{1,40}}?项目){_NOT_AFTER}{_PHASE}"
)
SUBJECT = re.compile(
    rf"(?:^|(?<=[,。;:!?\n]))(?:其中|另外|此外|同时|另|而)?[,]?({_NAME_CHAR}{{2,36}}?{SUFFIX}){_PHASE}"
    r"(?=,|是|为|由|总投资|投资|计划总投资|占地|位于|已|正|将|于|在|项目|预计|估算|拟)"
)
STRONG_SUFFIX = (
    r"(?:项目|基地|产业园|工业园|科技园|物流园|生产基地|工厂|超级工厂|研发中心|数据中心|运营中心|结算中心"
    r"|总部基地|电站|综合体|专属园区|产业园区|数据机房|机房)"
)
OBJECT = re.compile(
    r"(?<!主要)(?<!规划)(?<!计划)(?:投资建设|投资兴建|新建|建设|打造|布局|建成|建立|引进|签约|落户|落地|开工"
    r"|启动|投建|兴建)"
    rf"(?:了|一个|一座|一批)?((?:[\u4e00-\u9fffA-Za-z0-9·\-+×.()&%、]){{2,36}}?{STRONG_SUFFIX}){_PHASE}"
    r"(?=[,。;!?\n]|$|和|及|,|项目)"
)
ENTERPRISE = re.compile(
    r"([\u4e00-\u9fffA-Za-z0-9()&·]{2,40}?(?:股份有限公司|有限责任公司|有限公司|集团股份有限公司"
    r"|集团有限公司|集团公司|(?<!企业)集团|股份公司|控股公司|公司|控股|Inc\.|Ltd\.?|GmbH|AG|Corporation))"
)

# Phrase starts that are not part of a name: verbs, particles, determiners, list words.
_LEAD = re.compile(
    r"^(?:(?:全(?:省|国|市|县|区)|国内|省内|西部|中部|东部|区域)?(?:首个|首座|第一个|最大的?|规模最大的?|单体最大的?)"
    r"|[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[,、]?"
    r"|(?:其中|另外|此外|同时|包括|主要有|分别是|分别为|以及|还有|和|与|及|或|共|该|此|这个|这些|本次|此次"
    r"|首批|一批|一期|集中|现场|成功|正式|顺利|已经|已|正在|将|拟|计划|预计|全面|加快|加紧|推进|推动|助力|带动"
    r"|实施|启动|开工|竣工|签约|签署|签订|落户|落地|引进|招引|投资|建设|新建|扩建|续建|打造|布局|建成|建立|兴建"
    r"|投建|入驻|举行|了|的|是|在|为|由|对|把|被|从|向|于|等|位于|目前|今年|当前|近日|日前|随着|通过|作为|围绕"
    r"|依托|重点|积极|大力|全力|持续|不断|进一步|一个|一座|一批|个|座|家|户|还|也|又|都|便|就|所|其|之|将于"
    r"|按|以|定|谈|另|即|并|再|新增|新开工|集中开工|开工的|入选|包含|涉及|涵盖|使|让|令|助|为使)+)"
)
_SOFT = re.compile(r".*(?:的|是|在|将|由|于|了|对|把|被|为|和|与|及|、|或|等)")
_GENERIC_WORDS = re.compile(
    r"(?:重点|重大|产业化|产业|帮扶|托底性|示范|招商|在谈|签约|建设|在建|开工|竣工|投产|储备|谋划|前期|续建|新建"
    r"|省级|市级|县级|国家级|省|市|县|区|级|全产业链|新|好|优质|优势|龙头|先进|制造业|制造|工业|服务业|基础设施"
    r"|民生|社会事业|各类|相关|这些|此类|上述|其他|其余|该|此|本|其|单体|投资|总投资|引进|招引|落地|外资|内资"
    r"|高质量|大|亿元|万元|以上|一批|首批|批|个|家|户|\d+|[一二三四五六七八九十百千万亿]+|同城化|合作|研发"
    r"|新基建|战略性|新兴|高端|科技|创新|配套|基建|工程|项目|基地|中心|园区|产业园|生产线|数字经济|经济"
    r"|标志性|引领性|链主|补链|强链|延链|头部|单个|单体|全部|所有|一大|大型|特大|超大|中小|小|绿色|低碳"
    r"|的|和|与|及|等|之一|备案|审批|用地|报建|全|有|共|多|同|类|型|性|化|主体|具体|相关|入选|招商引资"
    r"|至|到|元|\.)+"
)
_COUNT = re.compile(r"\d+\s*(?:个|项|家|户|批|大)|^[一二三四五六七八九十两]+(?:个|大|项|批)")
_NOT_NAME_END = re.compile(r"(?:该|本|此|各|每|这个|那个|个|的|等|批)项目$")


@dataclass(frozen=True)
class Name:
    start: int
    end: int
    text: str
    how: str  # project | quoted | subject | object | list


def clean(text: str, start: int) -> tuple[str, int] | None:
    """Strip leading verbs and particles; None when what is left is generic."""
    match = _LEAD.match(text)
    if match:
        text, start = text[match.end() :], start + match.end()
    while text.startswith(("(", ")")):
        text, start = text[1:], start + 1
    if text.count("(") != text.count(")"):
        cut = text.rfind("(") + 1 if text.count("(") > text.count(")") else text.find(")") + 1
        if (
            text.count("(") > text.count(")") and text.endswith(")") is False and cut
        ) or text.count(")") > text.count("("):
            text, start = text[cut:], start + cut
    if len(text) < 3 or is_generic(text):
        return None
    return text, start


_VERB_INSIDE = re.compile(
    r"举行|召开|举办|实施|推进|推动|解决|健全|提高|确保|承担|入选|招引|计划|完成|加快|全力|围绕|分类|更新"
    r"|策划|规划|共建|签约|开展|印发|公布|发布|通报|获悉|表示|介绍|要求|力争|努力|打造|建设成|突出|聚焦"
    r"|进行|累计|引进|以来|新签约|做好|抓好|跟踪|对接|洽谈|考察|申报|争取"
    r"|博览会|展览会|交易会|洽谈会|推介会|大会|论坛|峰会|会议|活动|仪式"
    r"|\d{4}年|第[一二三四]季度|[一二三四]季度|上半年|下半年|今年|去年|明年|年度|^我[市县区省]|^全[市县区省国]"
)


def is_generic(name: str) -> bool:
    core = re.sub(r"(?:\((?:[一二三四五六首\d]期)\)|[一二三四五六首\d]期(?:工程)?)$", "", name)
    if core.endswith("项目") and len(core) < 4:
        return True
    if _VERB_INSIDE.search(core):
        return True
    if _NOT_NAME_END.search(core):
        return True
    if _COUNT.search(core):
        return True
    if _GENERIC_WORDS.fullmatch(core) is not None:
        return True
    # "临沂市重点项目", "我区新开工项目": a place and generic words only.
    local = _PLACE_LEAD.sub("", core, count=1)
    return local != core and bool(local) and _GENERIC_WORDS.fullmatch(local) is not None


_PLACE_LEAD = re.compile(r"^(?:我|全)?[\u4e00-\u9fff]{0,5}?(?:省|市|县|区|州|旗|镇|乡)")


def last_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - the last one is wanted
        pass
    return found


def trim_modifier(text: str, start: int) -> tuple[str, int]:
    """Cut a relative-clause modifier off a name: "总投资150亿元的X项目" → "X项目",
    "位于A的B项目" → "B项目", "追加投资1.5亿欧元建设X项目" → "X项目"; keep "…系统的研发与
    产业化基地项目" whole when nothing before 的 reads as a clause (no figure, no verb)."""
    cut = text.rfind("的")
    if cut > 0 and _CLAUSE_WORDS.search(text[:cut]):
        text, start = text[cut + 1 :], start + cut + 1
    last = last_match(_CUT_VERB, text)
    if last is not None:
        rest = text[last.end() :]
        if len(rest) >= 4 and not is_generic(rest):
            text, start = rest, start + last.end()
    return text, start


_CONTENTS = re.compile(
    r"(?:主要|规划|计划|拟|将|重点|同时|并)?(?:建设|生产|新建|建成|布局|打造|搭建)"
)
_CLAUSE_WORDS = re.compile(
    r"\d+(?:\.\d+)?(?:亿|万|元|%|个|年|月|日|亩)|投资|位于|建设|签约|落户|引进|年产|计划|拟|总|实现"
    r"|达到|占地|面积|是|由|为|在|将"
)
# Verbs that end a clause before the name they govern: "还举行了X项目开工仪式",
# "园区新引进X", "追加投资1.5亿欧元建设X项目", "带动X、Y等重大项目".
_CUT_VERB = re.compile(
    r"举行了?|召开了?|举办了?|进行了?|实施了?|推进|推动|带动|引进了?|招引了?|签约了?|签署了?|开工了?"
    r"|完成了?|启动了?|落户了?|投资建设|投资兴建|建设了?|新建|打造|迎来|获批|入选|包括|涵盖|涉及"
)


CEREMONY = re.compile(
    rf"({_NAME_CHAR}{{2,30}}?(?:厂|工厂|基地|产业园|中心|电站|工程))(?:项目)?"
    r"(?:开工|动工|动土|奠基|投产|竣工|签约|揭牌)(?:仪式|典礼)"
)


def project_names(text: str) -> list[Name]:
    """Every project name in `text`, left to right, without overlaps."""
    found: list[Name] = []
    for match in PROJECT.finditer(text):
        if match.group(1):
            inner = match.group(1)
            if is_generic(inner + "项目") or len(inner) < 2:
                continue
            found.append(
                Name(match.start(), match.end(), text[match.start() : match.end()], "quoted")
            )
            continue
        start = match.start(2)
        raw = text[start : match.end()]
        # Cut at the nearest soft boundary that leaves a real name; prefer the longest
        # cleanable tail that does not start inside a clause.
        raw, start = trim_modifier(raw, start)
        cleaned = clean(raw, start)
        if cleaned is None:
            continue
        name, name_start = cleaned
        if _after_copula(text, name_start):
            continue  # "X项目是Y…的Z项目": Z describes X, it is not another project
        name, name_start = _without_company(name, name_start)
        found.append(Name(name_start, name_start + len(name), name, "project"))
    for pattern, how in ((SUBJECT, "subject"), (OBJECT, "object"), (CEREMONY, "object")):
        for match in pattern.finditer(text):
            start = match.start(1)
            end = match.end() if pattern is not CEREMONY else match.end(1)
            raw = text[start:end]
            if how == "subject" and (raw.endswith("项目") or text.startswith("项目", end)):
                continue  # a name ending in 项目 is the project pattern's
            if _CONTENTS.match(raw):
                continue  # "主要建设X生产线": what a project builds, not a project
            if how == "subject" and re.search(r"在|于|将|与|向|对", raw):
                continue  # "荣盛石化在舟山绿色石化基地…": a clause, not a name
            raw, start = trim_modifier(raw, start)
            cleaned = clean(raw, start)
            if cleaned is None:
                continue
            name, name_start = cleaned
            if how == "object" and "、" in name and not name.endswith(("中心", "基地")):
                name_start += name.rfind("、") + 1
                name = text[name_start:end]
                if clean(name, name_start) is None:
                    continue
            if _after_copula(text, name_start):
                continue
            found.append(Name(name_start, name_start + len(name), name, how))
    return _without_overlaps(found)


def _without_company(name: str, start: int) -> tuple[str, int]:
    """ "山东蓝岳新材料科技有限公司蓝岳高端氟硅材料项目" → "蓝岳高端氟硅材料项目" (the company is
    the project's enterprise); a remainder too short to name it alone keeps the company."""
    company = _COMPANY_END.search(name)
    if company is None or company.start() == 0:
        return name, start
    rest = name[company.end() :]
    core = re.sub(r"(?:\(?[一二三四五六首\d]期\)?(?:工程)?)?项目$", "", rest)
    if len(core) >= 6 and not is_generic(rest):
        return rest, start + company.end()
    return name, start


def _after_copula(text: str, start: int) -> bool:
    """True when the phrase at `start` is a predicate (follows 是 in its clause)."""
    left = start
    while left > 0 and text[left - 1] not in ",。;!?\n":
        left -= 1
    return bool(re.search(r"(?<![一二三四五六七八九十])是", text[left:start])) and not re.search(
        r"(?:分别|主要|其中|依次)是", text[left:start]
    )


def _without_overlaps(names: list[Name]) -> list[Name]:
    rank = {"quoted": 0, "project": 1, "subject": 2, "object": 3, "list": 4}
    names.sort(key=lambda n: (n.start, rank[n.how], -(n.end - n.start)))
    result: list[Name] = []
    for name in names:
        if result and name.start < result[-1].end:
            continue
        result.append(name)
    return result


_LIST_HEAD = re.compile(
    r"等(?:(\d+)\s*(?:个|项|家|户)|一批|多个|重大|重点)?([^,。;\n、等]{0,24}?)项目"
)


def _split_items(segment: str) -> list[str]:
    """Split at 、 always, at 和/及/与 only where both sides read as names (碳中和 stays)."""
    parts: list[str] = []
    for piece in re.split(r"(、)", segment):
        if piece == "、":
            parts.append(piece)
            continue
        joined = re.split(r"(和|及|与)", piece)
        if len(joined) == 3 and all(
            len(side) >= 3 and not is_generic(side) for side in (joined[0], joined[2])
        ):
            parts.extend(joined)
        else:
            parts.append(piece)
    return parts


def list_items(text: str) -> list[tuple[list[Name], re.Match[str]]]:
    """Lists of projects: "A、B和C等N个(投资5亿元以上的)项目". The items need not end in 项目;
    a list whose head speaks of enterprises (等5户上市企业项目) is a list of enterprises."""
    found = []
    for head in _LIST_HEAD.finditer(text):
        if "企业" in head.group(2) or "公司" in head.group(2):
            continue
        left = head.start()
        boundary = left
        while boundary > 0 and text[boundary - 1] not in ",。;:!?\n":
            boundary -= 1
        segment = text[boundary:left]
        verb = last_match(_CUT_VERB, segment)
        if verb is not None:
            boundary += verb.end()
            segment = text[boundary:left]
        single = "、" not in segment and "和" not in segment and "及" not in segment
        if single and not (head.group(1) and re.search(STRONG_SUFFIX + "$", segment)):
            continue
        items: list[Name] = []
        offset = boundary
        for part in _split_items(segment):
            if part in {"、", "和", "及", "与"}:
                offset += len(part)
                continue
            cleaned = clean(part, offset)
            if cleaned and part[:1] in {"和", "与", "及"} and cleaned[1] == offset + 1:
                # "…、和利时西北总部基地": after 、 a leading 和 is the name's own character.
                cleaned = (part, offset) if not is_generic(part) else cleaned
            if cleaned:
                name, start = cleaned
                if not ENTERPRISE.fullmatch(name):
                    items.append(Name(start, start + len(name), name, "list"))
            offset += len(part)
        if len(items) >= 2 or (single and items):
            found.append((items, head))
    return found


_COMPANY_END = re.compile(
    r"控股集团股份有限公司|控股集团有限公司|控股集团|控股有限公司|集团股份有限公司|集团有限公司"
    r"|股份有限公司|有限责任公司|有限公司|集团公司|集团|股份公司|控股公司|公司|控股"
    r"|Inc\.|Ltd\.?|GmbH|Corporation"
)
_COMPANY_BODY = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()&·]{2,40}$")
_COMPANY_LEAD = re.compile(
    r".*(?:的|是|由|、|在|为|被|对|从|向|将|了|同|跟|联合|携手|依托|引入|引进|签约|签署|落户"
    r"|投资|企业|龙头|头部|承担|通过|其中|包括|等|记者|来自|位于|获得|获批|成立|组建|入股|合作"
    # 与/和/及 join two parties only after a party's own ending: "德格县与中科大旗",
    # "A公司和B公司"; inside a name they stay (长江和记实业有限公司).
    r"|(?:公司|集团|政府|管委会|委员会|[省市县区州]|局|厅|中心)(?:与|和|及|同))"
)


def enterprises(text: str) -> list[tuple[int, int, str]]:
    """Company names: "苏州融速智造科技有限公司", "四川逢春麝业集团" (lead-in words stripped)."""
    found: list[tuple[int, int, str]] = []
    last_end = 0
    for suffix in _COMPANY_END.finditer(text):
        if suffix.start() < last_end:
            continue
        if suffix.group() == "集团" and text.startswith("企业", suffix.start() - 2):
            continue
        window_start = max(last_end, suffix.start() - 40)
        body = _COMPANY_BODY.search(text, window_start, suffix.start())
        if body is None:
            continue
        start, end = body.start(), suffix.end()
        name = text[start:end]
        cut = _COMPANY_LEAD.match(name)
        if cut:
            name, start = name[cut.end() :], start + cut.end()
        last_end = end
        if len(name) < 4 or name in {"有限公司", "集团公司", "股份公司", "控股公司"}:
            continue
        if re.fullmatch(r"(?:该|本|此|其|各|这家|一家|多家|\d+家)?(?:公司|集团|控股)", name):
            continue
        found.append((start, end, name))
    return found
