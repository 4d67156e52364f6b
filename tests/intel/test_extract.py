"""The extractor on small, pointed texts: figures, kinds, qualifiers, currencies, totals,
distractors, stages with dates, places and the caller's gazetteer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from parklink.intel.extract import Gazetteer, extract
from tests.intel import evaluation

YI = Decimal(100_000_000)


def one(text: str, **kwargs: object):  # type: ignore[no-untyped-def]
    found = extract(text, **kwargs).projects  # type: ignore[arg-type]
    assert len(found) == 1, [p.name.value for p in found]
    return found[0]


def test_headline_investment_with_kind_and_qualifiers() -> None:
    project = one("投资逾30亿元的隆基绿能光伏组件项目已进入设备调试阶段,达产后年产值50亿元。")
    assert project.name.value == "隆基绿能光伏组件项目"
    assert project.investment is not None
    assert project.investment.yuan == 30 * YI
    assert project.investment.lower_bound and not project.investment.approx
    assert {a.kind for a in project.amounts} >= {"total_investment", "output"}
    assert project.investment.label() == "超30亿元"


def test_approximate_and_lower_bound_markers() -> None:
    for text, lower, approx in [
        ("惠科显示面板配套项目总投资约15亿元。", False, True),
        ("惠科显示面板配套项目总投资近15亿元。", False, True),
        ("惠科显示面板配套项目总投资15亿元左右。", False, True),
        ("惠科显示面板配套项目总投资15亿元以上。", True, False),
        ("惠科显示面板配套项目总投资超过15亿元。", True, False),
        ("惠科显示面板配套项目总投资15亿多元。", True, False),
        ("惠科显示面板配套项目总投资15亿元。", False, False),
    ]:
        amount = one(text).investment
        assert amount is not None and amount.value == 15 * YI, text
        assert (amount.lower_bound, amount.approx) == (lower, approx), text


def test_phase_agreed_funds_and_spend_are_told_apart() -> None:
    text = (
        "光明乳业华中生产基地项目协议投资25亿元,目前已完成投资11亿元,到位资金12亿元;"
        "奥能氢能装备产业园项目规划总投资50亿元,分两期建设,一期投资22亿元。"
    )
    found = {p.name.value: p for p in extract(text).projects}
    dairy = found["光明乳业华中生产基地项目"]
    kinds = {a.kind: a.value for a in dairy.amounts}
    assert kinds == {
        "agreed_investment": 25 * YI,
        "cumulative_spend": 11 * YI,
        "funds_in_place": 12 * YI,
    }
    assert dairy.investment is not None and dairy.investment.kind == "agreed_investment"
    hydrogen = found["奥能氢能装备产业园项目"]
    assert hydrogen.investment is not None and hydrogen.investment.value == 50 * YI
    assert {a.kind for a in hydrogen.amounts} == {"total_investment", "phase_investment"}


def test_foreign_currency_kept_unless_a_rate_is_given() -> None:
    plain = one("美国艾维斯医疗器械项目正式签约,投资额8000万美元。").investment
    assert plain is not None and plain.currency == "USD" and plain.yuan is None
    assert plain.value == Decimal(80_000_000)
    paired = one("签署增资协议,追加投资1.5亿欧元(约合人民币11.7亿元)建设博瑞克斯亚太生产中心项目。")
    assert paired.investment is not None and paired.investment.currency == "EUR"
    assert paired.investment.yuan == Decimal("11.7") * YI
    rated = one("博世新能源汽车部件项目总投资10亿美元。按1美元兑7.12元人民币计算。").investment
    assert rated is not None and rated.yuan == Decimal("71.2") * YI


def test_totals_are_not_projects() -> None:
    extraction = extract(
        "3月21日,双方集中签约了15个托底性帮扶产业化项目,一期投资额超10亿元。"
        "这些项目一期的投资额超过了10亿元。"
    )
    assert extraction.projects == ()
    assert extraction.totals[0].count == 15
    total = extraction.totals[0].amount
    assert total is not None and total.kind == "phase_investment" and total.lower_bound


def test_list_items_take_the_per_item_threshold() -> None:
    extraction = extract(
        "龙源碳中和产业基地、黑河水电17万吨硅系新材料等11个投资10亿元以上的大项目落地张掖经开区,"
        "中国天楹重力储能、东方自控绿色智能制造等6个投资5亿元以上示范项目已开工建设。",
        published=date(2024, 10, 15),
    )
    found = {p.name.value: p for p in extraction.projects}
    assert set(found) == {
        "龙源碳中和产业基地",
        "黑河水电17万吨硅系新材料",
        "中国天楹重力储能",
        "东方自控绿色智能制造",
    }
    first = found["龙源碳中和产业基地"].investment
    assert first is not None and first.per_item and first.lower_bound and first.value == 10 * YI
    assert found["龙源碳中和产业基地"].stage == "signed"
    assert found["中国天楹重力储能"].stage == "started"
    assert found["中国天楹重力储能"].adcode == "620700"
    assert sorted(t.count for t in extraction.totals) == [6, 11]


def test_distractors_make_no_projects() -> None:
    for text in [
        "2024年,经开区实现地区生产总值586.3亿元;规模以上工业总产值1260亿元;税收收入36.1亿元。",
        "全年新签约亿元以上项目58个,协议引资320亿元;园区累计完成固定资产投资215亿元。",
        "瑞丰光伏组件出货量达到12GW;年发电量12亿千瓦时;新增工业用地2800亩,新建厂房56万平方米。",
        "项目名称:XX产业园项目\n投资规模:总投资XX亿元\n建设内容:年产XX万吨",
        "前三季度,全省428个省重大项目累计完成投资3.5万亿元,成都市重大项目完成投资8600亿元。",
        "今年以来,通过绿色通道已帮助135户企业获得融资5.68亿元,集合信贷计划200亿元。",
    ]:
        assert extract(text).projects == (), text


def test_stage_dates_resolve_against_the_publication_date() -> None:
    project = one(
        "3月15日,宁德时代洛阳基地项目在洛阳市伊滨区开工,项目总投资140亿元。",
        published=date(2024, 3, 16),
    )
    assert project.stage == "started" and project.stage_date == date(2024, 3, 15)
    late = one(
        "12月30日,凯翼新能源汽车整车项目正式投产,总投资100亿元。", published=date(2025, 1, 5)
    )
    assert late.stage == "in_production" and late.stage_date == date(2024, 12, 30)


def test_future_and_conditional_verbs_are_not_stages_reached() -> None:
    project = one("福莱特玻璃深加工项目总投资约8亿元,预计9月投产,建成后年产值20亿元。")
    assert project.stage == "planned"


def test_place_resolves_to_an_adcode_and_the_caller_adds_parks_and_enterprises() -> None:
    text = "比德智能在赣州市南康区签约建设比德智能装备产业基地项目,总投资120亿元。"
    plain = one(text)
    assert plain.adcode == "360703" and plain.place is not None
    gazetteer = Gazetteer(
        parks=[("南康家具产业园", "360703")],
        enterprises=[("比德智能装备集团有限公司", ["比德智能"])],
    )
    known = one(
        "比德智能在南康家具产业园签约建设比德智能装备产业基地项目,总投资120亿元。",
        gazetteer=gazetteer,
    )
    assert known.park is not None and known.park.value == "南康家具产业园"
    assert known.adcode == "360703"
    assert [e.value for e in known.enterprises] == ["比德智能装备集团有限公司"]


def test_citations_map_back_to_the_original() -> None:
    raw = (
        "　　近日，山东蓝岳新材料科技有限公司蓝岳高端氟硅材料项目落户淄博高新区，"
        "项目总投资１５亿元。"
    )
    extraction = extract(raw)
    project = extraction.projects[0]
    assert project.investment is not None
    assert extraction.original_text(project.investment.span) == "１５亿元"
    assert extraction.original_text(project.name.span) == "蓝岳高端氟硅材料项目"  # type: ignore[arg-type]
    assert [e.value for e in project.enterprises] == ["山东蓝岳新材料科技有限公司"]


def test_every_labelled_article_gives_sentences_as_evidence() -> None:
    for name, extraction in evaluation.own_extractions().items():
        for project in extraction.projects:
            assert project.evidence, (name, project.name.value)
            for span in project.evidence:
                assert extraction.text[span.start : span.end] == span.text
            if project.investment is not None:
                sentence = project.investment.sentence
                assert sentence.start <= project.investment.span.start < sentence.end


def test_a_currency_named_before_the_number() -> None:
    plant = one("鸿海集团13日举行电动车电池厂动土典礼,该厂总投资约新台币50亿元。")
    assert plant.name.value == "电动车电池厂" and plant.stage == "started"
    assert plant.investment is not None and plant.investment.currency == "TWD"
    assert plant.investment.yuan is None and plant.investment.approx


def test_money_spent_on_site_means_under_construction() -> None:
    project = one("投资5.5亿元的电动自行车零部件产业园项目已完成投资3.2亿元,预计8月底竣工。")
    assert project.stage == "under_construction"
    assert project.investment is not None and project.investment.value == Decimal("5.5") * YI


def test_the_engine_and_readers_import_no_django() -> None:
    import subprocess
    import sys

    code = (
        "import sys, parklink.intel.extract, parklink.intel.readers\n"
        "from parklink.intel.extract import extract\n"
        "extract('总投资10亿元的甲乙丙丁项目开工。')\n"
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_day_alone_resolves_against_the_publication_month() -> None:
    plant = one(
        "鸿海集团13日举行电动车电池厂动土典礼,该厂总投资约新台币50亿元。",
        published=date(2025, 5, 14),
    )
    assert plant.stage_date == date(2025, 5, 13)
    earlier = one("28日,凯翼新能源汽车整车项目正式投产,总投资100亿元。", published=date(2025, 6, 2))
    assert earlier.stage_date == date(2025, 5, 28)


def test_investment_per_mu_is_not_the_investment() -> None:
    project = one("蓝岳高端氟硅材料项目总投资15亿元,亩均投资500万元,亩均税收50万元。")
    assert project.investment is not None and project.investment.value == 15 * YI
    assert [a.value for a in project.amounts if a.is_investment] == [15 * YI]


def test_a_range_reads_as_at_least_its_low_end() -> None:
    for text in (
        "恒川汽车零部件产业园项目计划投资10-15亿元。",
        "恒川汽车零部件产业园项目计划投资10至15亿元。",
    ):
        amount = one(text).investment
        assert amount is not None and amount.value == 10 * YI and amount.lower_bound, text
    assert extract("2020-2025年,全区完成投资300亿元。").projects == ()


def test_labels_say_what_the_article_said() -> None:
    assert one("惠科显示面板配套项目总投资15亿元以上。").investment.label() == "15亿元以上"  # type: ignore[union-attr]
    assert one("惠科显示面板配套项目总投资超过15亿元。").investment.label() == "超15亿元"  # type: ignore[union-attr]
    assert one("惠科显示面板配套项目总投资近15亿元。").investment.label() == "约15亿元"  # type: ignore[union-attr]


def test_respectively_pairs_names_and_figures_in_order() -> None:
    extraction = extract(
        "6月5日,高新区与华勤技术股份有限公司、杭州海康威视数字技术股份有限公司分别签约,"
        "华勤智能终端研发制造基地项目和海康威视西南产业基地项目正式落户,"
        "两个项目总投资分别为30亿元和25亿元。"
    )
    found = {p.name.value: p.investment.value for p in extraction.projects if p.investment}
    assert found == {"华勤智能终端研发制造基地项目": 30 * YI, "海康威视西南产业基地项目": 25 * YI}


def test_list_items_do_not_take_each_others_enterprises() -> None:
    extraction = extract(
        "龙源碳中和产业基地、黑河水电17万吨硅系新材料等11个投资10亿元以上的大项目落地张掖经开区,"
        "中国天楹重力储能、东方自控绿色智能制造等6个投资5亿元以上示范项目已开工建设。",
        organisations=True,
    )
    found = {p.name.value: [e.value for e in p.enterprises] for p in extraction.projects}
    assert not any("东方自控" in e for e in found["中国天楹重力储能"])
    assert not any("天楹" in e for e in found["龙源碳中和产业基地"])
