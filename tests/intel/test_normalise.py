"""The normaliser: boilerplate out, traditional → simplified, pinyin out, numbers unified,
and every piece of the clean text traceable to the original."""

from __future__ import annotations

from parklink.intel.extract import normalise
from parklink.intel.extract.normalise import chinese_numeral, is_traditional
from tests.support.seeds import seed_texts


def test_pinyin_annotations_and_traditional_characters_go() -> None:
    raw = (
        "張(zhāng)掖(yè)經(jīng)開區(qū)聚力打造現(xiàn)代產(chǎn)業(yè)體系,"
        "項(xiàng)目總投資18.8億元。"
    )
    clean = normalise(raw)
    assert clean.traditional
    assert clean.text == "张掖经开区聚力打造现代产业体系,项目总投资18.8亿元。"
    start = clean.text.index("18.8亿元")
    a, b = clean.original_span(start, start + len("18.8亿元"))
    assert raw[a:b] == "18.8億元"
    a, b = clean.original_span(0, 2)
    assert raw[a:b] == "張(zhāng)掖"


def test_brackets_that_are_not_pinyin_stay() -> None:
    text = normalise(
        "浙江时代锂电材料项目(一期)开工,安巴韦单抗注射液(BRII-196)获批,这是(de)字。"
    ).text
    assert "(一期)" in text and "(BRII-196)" in text and "(de)" in text


def test_simplified_text_is_not_converted() -> None:
    raw = "著名企业华为在乾元路投资建设研发中心项目,总投资10亿元。" * 3
    assert not is_traditional(raw)
    assert normalise(raw).text == raw


def test_full_width_digits_spaces_and_punctuation() -> None:
    clean = normalise("项目总投资１５亿元，其中一期投资 3 亿元；预计２０２６年６月投产。")
    assert clean.text == "项目总投资15亿元,其中一期投资3亿元;预计2026年6月投产。"


def test_chinese_numerals_before_units() -> None:
    assert chinese_numeral("一百二十") == "120"
    assert chinese_numeral("三点五") == "3.5"
    assert chinese_numeral("二〇二五") == "2025"
    text = normalise("集中签约十五个项目,总投资一百二十亿元,全省累计3.5万亿元,三点五亿元。").text
    assert "15个项目" in text and "120亿元" in text and "3.5万亿元" in text and "3.5亿元" in text
    # Words that merely contain a numeral character stay as they are.
    assert (
        normalise("十四五规划统一部署,三园联动,一期工程").text
        == "十四五规划统一部署,三园联动,一期工程"
    )


def test_boilerplate_lines_and_related_lists_go() -> None:
    raw = "\n".join(
        [
            "首页 | 新闻中心 | 招商动态 | 政务公开 | 联系我们",
            "当前位置:首页 > 招商动态 > 正文",
            "👆点击蓝字 关注我们",
            "总投资45亿元的汽车零部件产业园项目在襄阳开工",
            "5月18日,恒川汽车零部件产业园项目开工仪式在襄阳高新区举行,项目总投资45亿元,分三期建设。",
            "责任编辑:王敏",
            "分享到: 微信 微博 QQ空间",
            "产业招商/厂房租售 13391219793",
            "相关文章",
            "宜昌50亿元磷化工新材料项目签约",
            "版权所有:某某网 鄂ICP备12345678号-1",
        ]
    )
    text = normalise(raw).text
    assert text.splitlines() == [
        "总投资45亿元的汽车零部件产业园项目在襄阳开工",
        "5月18日,恒川汽车零部件产业园项目开工仪式在襄阳高新区举行,项目总投资45亿元,分三期建设。",
    ]


def test_teaser_block_above_the_article_goes() -> None:
    raw = "热点推荐\n长沙:总投资60亿元智能制造基地开工\n武汉:光谷新增10个百亿元项目\n\n" + (
        "6月2日,荣成市召开推进会。泰祥集团海洋食品精深加工项目总投资8.5亿元,预计10月投产。"
    )
    text = normalise(raw).text
    assert "长沙" not in text and "光谷" not in text and "泰祥集团" in text


def test_lines_broken_mid_sentence_are_rejoined() -> None:
    raw = (
        "项目建成后,将有效提高防洪排涝减灾能力。项目总投资约23.65亿元,将提升下\n\n"
        "游地区5万亩农田灌溉输水保障能力,改善地区自然生态环境。\n\n二、聚焦重点\n正文。"
    )
    text = normalise(raw).text
    assert "提升下游地区5万亩" in text
    assert "\n二、聚焦重点" in text


def test_offsets_map_every_character_back() -> None:
    raw = "  近日，淄博高新区与蓝岳公司签约。项目总投资１５亿元，\n\n其中固定资产投资１２亿元。"
    clean = normalise(raw)
    for index, char in enumerate(clean.text):
        a, b = clean.original_span(index, index + 1)
        if char.isdigit():
            assert raw[a:b].translate({0xFF10 + i: 0x30 + i for i in range(10)}) == char
        elif "\u4e00" <= char <= "\u9fff":
            assert raw[a:b] == char


def test_the_zhangye_seed_reads_clean() -> None:
    texts = seed_texts()
    raw = next(text for name, text in texts.items() if name.startswith("003_"))
    clean = normalise(raw)
    assert "(zh" not in clean.text and "(chǎn)" not in clean.text.replace("a(chǎn)", "")
    assert "张掖经开区" in clean.text and "国家玉米种子产业园" in clean.text
    assert "ICP" not in clean.text and "版权所有" not in clean.text


def test_a_run_of_headline_links_goes_wherever_it_sits() -> None:
    raw = "\n".join(
        [
            "恒川汽车零部件产业园项目开工,总投资45亿元,分三期建设,主要生产热管理系统。",
            "· 宜昌50亿元磷化工新材料项目签约 2025-05-19",
            "· 荆门总投资30亿元储能电站项目开工 2025-05-17",
            "· 十堰:东风商用车新能源基地项目投产 2025-05-15",
            "据介绍,项目达产后年产值80亿元。",
            "· 一行要点,不是链接列表",
        ]
    )
    text = normalise(raw).text
    assert "宜昌" not in text and "荆门" not in text and "十堰" not in text
    assert "据介绍" in text and "一行要点" in text


def test_keycap_numbers_and_emoji_go() -> None:
    text = normalise("📣重磅\n1️⃣ 中伟新材料前驱体项目总投资超30亿元;\n2️⃣ 欣旺达消费电池项目。").text
    assert "1" not in text.replace("30", "") and "📣" not in text
    assert "中伟新材料前驱体项目总投资超30亿元" in text


def test_spaces_between_latin_and_chinese_go() -> None:
    text = normalise("3D 打印设备项目与“新能源 + 熊猫专列”项目,比亚迪 IDC 机房。").text
    assert text == "3D打印设备项目与“新能源+熊猫专列”项目,比亚迪IDC机房。"
