"""A project's stage from the verbs around it: 签约 → signed, 开工 → started, 在建 → under
construction, 投产 → in production, 达产 → full production, 拟/计划/规划 → planned.

A verb in a conditional or future clause ("建成后", "达产后", "将于…开工", "力争…投产") does not
say what has happened: 将/拟/计划 before it make the project planned instead.
"""

from __future__ import annotations

import re

ORDER = ("planned", "signed", "started", "under_construction", "in_production", "full_production")

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("full_production", re.compile(r"全面达产|已达产|实现达产|满负荷生产|全面达效|达产达效|满产")),
    (
        "in_production",
        re.compile(
            r"建成投产|竣工投产|正式投产|投产运行|顺利投产|已投产|投入生产|投产|试生产|试产|"
            r"投用|投入使用|投入运营|正式运营|建成运营|竣工|已建成|全面建成|顺利建成|正式建成|建成并"
            r"|通过验收|完成验收|竣工验收|量产|下线"
        ),
    ),
    (
        "under_construction",
        re.compile(
            r"加快建设|加紧建设|正在建设|在建|建设中|施工|全面建设|推进建设|加速建设|主体封顶|封顶"
            r"|设备安装|设备调试|安装调试|落地建设|开工建设中|续建|如火如荼|吊装|主体施工|桩基|土方"
        ),
    ),
    ("started", re.compile(r"开工|奠基|动工|动土|破土|进场施工|开建|启动建设")),
    (
        "signed",
        re.compile(
            r"签约|签署|签订|落户|落地|入驻|摘牌|达成合作|合作协议|投资协议|协议|新引进|成功引进|引进"
        ),
    ),
    (
        "planned",
        re.compile(
            r"拟建|拟投资|拟在|拟于|拟利用|计划建设|规划建设|谋划|策划|筹建|储备|前期工作|前期手续|办理前期"
        ),
    ),
)
_FUTURE = re.compile(
    r"(?:将|拟|计划|预计|力争|确保|争取|有望|即将|准备|待|后续|下一步|明年|年内)[^,。;]{0,10}$"
    r"|(?:月底|年底|年内|月内|季度内?|上半年|下半年|之)前$"
)
_AFTER = re.compile(r"^(?:后|之后|以后|时)")


def find_stage(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """The stage that `text[start:end]` (a sentence or clause) states, with the verb's span."""
    window = text[start:end]
    best: tuple[int, int, str, int, int] | None = None  # (rank, -pos) ... chosen below
    for stage, pattern in _PATTERNS:
        for match in pattern.finditer(window):
            after = window[match.end() : match.end() + 3]
            before = window[max(0, match.start() - 14) : match.start()]
            if _AFTER.match(after):
                continue
            said = "planned" if _FUTURE.search(before) else stage
            if stage == "signed" and said == "planned" and "协议" in match.group():
                said = "signed"
            rank = ORDER.index(said)
            key = (rank, -match.start(), said, start + match.start(), start + match.end())
            if best is None or key[:2] > best[:2]:
                best = key
    if best is None:
        return None
    return best[2], best[3], best[4]
