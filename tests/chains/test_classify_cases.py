"""Hard cases of the classifier: makers vs traders, installers, holdings, boilerplate, 繁體."""

from __future__ import annotations

import pytest

from parklink.chains.catalog import shipped
from parklink.chains.classify import ACCEPT, Candidate, Classifier, accepted
from parklink.chains.classify.text import normalise, to_traditional

BOILER = "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(shipped().values())


def best(candidates: list[Candidate]) -> tuple[str, str] | None:
    kept = accepted(candidates)
    return (kept[0].chain, kept[0].segment) if kept else None


def test_a_maker_is_assigned_with_its_evidence(classifier: Classifier) -> None:
    found = classifier.classify(
        "眉山某某锂电科技有限公司",
        "一般项目：锂离子电池的研发、生产和销售；技术服务、技术开发；货物进出口" + BOILER,
        "3841",
    )
    assert best(found) == ("lithium", "cell")
    top = found[0]
    assert 0 <= top.score <= 1 and top.score >= ACCEPT
    text = " ".join(top.evidence)
    assert "锂离子电池" in text and "制造" in text and "3841" in text and "锂电" in text


def test_a_trader_listing_batteries_is_no_maker(classifier: Classifier) -> None:
    goods = "；".join(f"{g}销售" for g in ["五金产品", "日用百货", "电池", "锂电池", "服装服饰"])
    assert best(classifier.classify("成都某某商贸有限公司", "一般项目：" + goods, "5179")) is None
    # the same words with 制造 make it a maker
    made = classifier.classify("成都某某科技有限公司", "一般项目：锂电池制造；" + goods, None)
    assert best(made) == ("lithium", "cell")


def test_a_photovoltaic_installer_is_downstream_not_a_wafer_maker(classifier: Classifier) -> None:
    found = classifier.classify(
        "眉山某某光伏科技有限公司",
        "一般项目：光伏设备及元器件销售；光伏设备安装；太阳能发电技术服务；合同能源管理",
        None,
    )
    assert best(found) == ("photovoltaics", "power_station")
    assert not [c for c in accepted(found) if c.segment in {"wafer", "cell", "polysilicon"}]


def test_a_holding_company_belongs_to_no_chain(classifier: Classifier) -> None:
    found = classifier.classify(
        "四川某某光伏投资控股有限公司",
        "以自有资金从事投资活动；股权投资；投资管理；企业管理咨询；新能源技术推广服务" + BOILER,
        "7212",
    )
    assert accepted(found) == []


def test_boilerplate_alone_proves_nothing(classifier: Classifier) -> None:
    assert (
        classifier.classify(
            "成都某某科技有限公司",
            "一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发"
            + BOILER,
            None,
        )
        == []
    )


def test_traditional_characters_give_the_same_answer(classifier: Classifier) -> None:
    scope = (
        "多晶硅的生产、销售；工业硅冶炼；货物进出口"
        "（依法须经批准的项目，经相关部门批准后方可开展经营活动）"
    )
    simplified = classifier.classify("某某硅业有限公司", scope, None)
    traditional = classifier.classify(
        to_traditional("某某硅业有限公司"), to_traditional(scope), None
    )
    assert to_traditional(scope) != scope
    assert [(c.chain, c.segment, c.score) for c in traditional] == [
        (c.chain, c.segment, c.score) for c in simplified
    ]
    assert best(simplified) in {
        ("photovoltaics", "polysilicon"),
        ("photovoltaics", "industrial_silicon"),
    }


def test_full_width_and_case_are_normalised() -> None:
    assert normalise("ｔｏｐｃｏｎ電池片") == "TOPCON电池片"
    assert normalise("锂电池") == "锂电池"  # unchanged text is returned as is


def test_an_exclusion_in_the_item_cancels_the_segment(classifier: Classifier) -> None:
    found = classifier.classify("某某环保有限公司", "锂电池回收；废旧锂电池拆解、再生利用", None)
    assert best(found) == ("lithium", "recycling")
    assert all(c.segment != "cell" for c in accepted(found))


def test_an_enterprise_may_belong_to_several_chains(classifier: Classifier) -> None:
    found = classifier.classify(
        "四川某某新能源有限公司", "一般项目：锂离子电池制造；光伏组件制造；储能系统集成", None
    )
    chains = {c.chain for c in accepted(found)}
    assert {"lithium", "photovoltaics"} <= chains
    scores = [c.score for c in found]
    assert scores == sorted(scores, reverse=True)


def test_position_matters_the_first_items_are_the_main_business(classifier: Classifier) -> None:
    filler = "；".join(f"项目{i}咨询" for i in range(20))
    early = classifier.classify("某某公司", "光伏组件制造；" + filler, None)
    late = classifier.classify("某某公司", filler + "；光伏组件制造", None)
    assert early[0].score > late[0].score


def test_the_industry_code_adds_evidence(classifier: Classifier) -> None:
    without = classifier.classify("某某公司", "电子元件生产；储能电池销售", None)
    with_code = classifier.classify("某某公司", "电子元件生产；储能电池销售", "3841")
    score = {(c.chain, c.segment): c.score for c in with_code}
    assert score.get(("lithium", "cell"), 0) > {(c.chain, c.segment): c.score for c in without}.get(
        ("lithium", "cell"), 0
    )


def test_no_scope_and_no_code_means_no_chain(classifier: Classifier) -> None:
    assert classifier.classify("", "", None) == []
    assert classifier.classify("成都某某餐饮管理有限公司", "餐饮服务；食品销售", "6210") == []


def test_classify_many_is_lazy_and_in_order(classifier: Classifier) -> None:
    rows = [("a", "锂离子电池制造", None), ("b", "餐饮服务", None), ("c", "光伏电站运营", None)]
    results = classifier.classify_many(iter(rows))
    first = next(results)
    assert best(first) == ("lithium", "cell")
    rest = list(results)
    assert rest[0] == [] and best(rest[1]) == ("photovoltaics", "power_station")


def test_verbs_written_before_the_products_count(classifier: Classifier) -> None:
    assert best(
        classifier.classify("某某科技有限公司", "生产、销售：锂电池、电动自行车配件", None)
    ) == (
        "lithium",
        "cell",
    )
    assert best(classifier.classify("某某公司", "生产锂电池、正极材料；五金销售", None)) is not None


def test_a_verb_inside_a_keyword_does_not_make_a_seller_a_maker(classifier: Classifier) -> None:
    for item in ("芯片封装批发", "3D打印设备销售", "牲畜屠宰设备销售"):
        assert accepted(classifier.classify("某某公司", f"{item}；日用百货销售", None)) == [], item
    assert best(classifier.classify("某某公司", "芯片封装；芯片测试", None)) == (
        "integrated_circuits",
        "packaging",
    )


def test_installing_a_product_places_a_firm_in_the_service_segment(
    classifier: Classifier,
) -> None:
    found = classifier.classify("某某新能源有限公司", "光伏组件的销售、安装；水电安装", None)
    assert best(found) == ("photovoltaics", "power_station")
    assert "安装维修" in found[0].evidence[0]
    assert all(c.segment != "module" for c in accepted(found))
    # a chain without a service segment: installing its product is no membership
    assert accepted(classifier.classify("某某公司", "锂电池安装；电池销售", None)) == []


def test_technical_service_items_naming_a_chain_prove_nothing(classifier: Classifier) -> None:
    scope = "新兴能源技术研发；储能技术服务；太阳能发电技术服务；风力发电技术服务"
    assert accepted(classifier.classify("四川某某新能源科技有限公司", scope, "7515")) == []
    # 服务 inside 技术服务 is not a second, serving verb
    found = classifier.classify("某某公司", "光伏发电技术服务", None)
    assert all("(服务)" not in text for c in found for text in c.evidence)


def test_a_shop_listing_a_dealers_item_far_down_is_no_dealer(classifier: Classifier) -> None:
    goods = [
        f"{g}销售" for g in ("日用百货", "五金产品", "电子产品", "通讯设备", "电池", "家用电器")
    ]
    scope = "；".join([*goods, "新能源汽车整车销售", "服装服饰零售", "化妆品零售"])
    assert accepted(classifier.classify("某某百货有限公司", scope, "5211")) == []
    dealer = classifier.classify("某某汽车销售服务有限公司", "新能源汽车整车销售；二手车经纪", None)
    assert best(dealer) == ("nev", "aftermarket")


def test_an_exclusion_cancels_only_its_part_of_the_item(classifier: Classifier) -> None:
    found = classifier.classify("某某汽车有限公司", "新能源汽车整车制造、汽车销售", None)
    assert best(found) == ("nev", "vehicle")
    assert accepted(classifier.classify("某某公司", "汽车销售；二手车经纪", None)) == []


def test_missing_values_and_numeric_codes_are_accepted(classifier: Classifier) -> None:
    assert best(classifier.classify("", "锂电池制造", None)) == ("lithium", "cell")
    by_code = classifier.classify("某某锂电有限公司", "", 3841)  # type: ignore[arg-type]
    assert {c.chain for c in accepted(by_code)} == {"lithium"}
    assert classifier.classify("某某有限公司", "", None) == []


def test_generic_catalogue_items_are_no_chain_evidence(classifier: Classifier) -> None:
    for scope in (
        "新材料技术推广服务；软件开发；信息系统集成服务",
        "会议及展览服务；旅游开发项目策划咨询；组织文化艺术交流活动",
        "蔬菜、水果种植；农业观光；垂钓服务",
        "数据处理服务；计算机系统服务；网络技术服务",
    ):
        assert accepted(classifier.classify("成都某某科技有限公司", scope, None)) == [], scope


def test_a_catalogue_item_counts_where_the_name_names_the_chain(classifier: Classifier) -> None:
    scope = "一般项目：电池制造；电池销售；电子元器件制造"
    assert best(classifier.classify("四川某某锂电池有限公司", scope, None)) == ("lithium", "cell")
    assert best(classifier.classify("眉山某某太阳能科技有限公司", scope, None)) == (
        "photovoltaics",
        "cell",
    )
    assert accepted(classifier.classify("四川某某新能源有限公司", scope, None)) == []
    qualified = "基础化学原料制造（不含危险化学品）；气体销售"
    assert best(classifier.classify("成都某某氢能科技有限公司", qualified, None)) == (
        "hydrogen",
        "production",
    )
