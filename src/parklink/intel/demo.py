"""The demo's review queue: one illustrative article (示例, invented for the demo, not from
the seed folder) ingested into 张掖经开区管委会's queue, so the queue, the highlighted
evidence and an update suggestion (黑河水电17万吨硅系新材料项目 is in the library) show
without anything outside the repository."""

from __future__ import annotations

from datetime import date

from parklink.core import demo
from parklink.core.registry import DemoContext
from parklink.intel.services import ingest_text

OWNER = "zhangye_etdz_committee"
TITLE = "【示例】张掖经开区一季度重点项目集中签约开工(虚构文章,仅供演示)"
PUBLISHED = date(2025, 1, 20)
# Invented for the demo (示例数据): the enterprises 示例新材料/示例储能 do not exist.
ARTICLE = """【示例】张掖经开区一季度重点项目集中签约开工(虚构文章,仅供演示)
发布时间:2025-01-20  来源:示例数据
首页 > 新闻中心 > 园区动态
1月18日,张掖经济技术开发区举行2025年一季度重点项目集中签约暨开工活动,共签约、开工项目8个,总投资超过40亿元。
活动现场,示例新材料科技有限公司与张掖经开区签约年产5万吨高纯硅材料项目,项目总投资约12亿元,其中一期投资5亿元,预计年产值8亿元。
示例储能科技有限公司投资超3亿元的储能电池组装项目签约落地张掖经开区。
黑河水电17万吨硅系新材料项目同日开工建设。
(本文为演示用示例文章,内容均为虚构。)
相关文章
示例:某市新能源产业园项目投资50亿元
"""


def load_queue(ctx: DemoContext) -> None:
    officer = demo.require(ctx, "officers", OWNER)
    outcome = ingest_text(
        officer,
        ARTICLE,
        title=TITLE,
        published=PUBLISHED,
        source_name="示例文章.txt",
        owner_id=officer.organization_id,
    )
    ctx.remember("intel_documents", "example", outcome.document)
    if not outcome.duplicate:  # a second load finds the article already in the queue
        ctx.count("intel documents")
        ctx.count("intel items", outcome.items)
