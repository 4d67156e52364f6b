"""Name keys and scores (pure): the same project or enterprise however the article writes it."""

from __future__ import annotations

from parklink.intel.fields import highlight
from parklink.intel.fingerprint import content_hash, near_key
from parklink.intel.matching import (
    SAME,
    Candidate,
    enterprise_key,
    project_key,
    rank,
    same_enterprise,
)


def test_project_keys_drop_the_words_every_name_carries() -> None:
    assert project_key("黑河水电17万吨硅系新材料项目") == project_key(
        "黑河水電17萬噸硅系新材料項目"
    )
    assert project_key("浙江时代锂电材料国际产业合作园项目(一期)") == project_key(
        "浙江时代锂电材料国际产业合作园"
    )


def test_short_names_traditional_characters_and_company_words() -> None:
    assert same_enterprise("新荷花", "四川新荷花中药饮片股份有限公司")
    assert same_enterprise("龍源電力", "龙源电力集团股份有限公司")
    assert same_enterprise("中科大旗", "北京中科大旗科技股份有限公司")
    assert not same_enterprise("华能集团", "华锐风电科技(集团)股份有限公司")
    assert enterprise_key("成都高新发展股份有限公司") == "成都高新"


def test_rank_prefers_the_library_project_with_the_same_name_investor_and_place() -> None:
    candidates = [
        Candidate(
            "project",
            1,
            "黑河水电17万吨硅系新材料项目",
            ("甘肃黑河水电实业投资有限责任公司",),
            "620702",
        ),
        Candidate("project", 2, "中船风电张掖经开区项目", ("中船海装风电有限公司",), "620702"),
        Candidate("item", 3, "黑河水電17萬噸硅系新材料", ("黑河水电",), "620702"),
        Candidate("project", 4, "黑河水电17万吨硅系新材料项目", (), "330100"),
    ]
    found = rank("黑河水电17万吨硅系新材料项目", ["黑河水电"], "620702", candidates)
    assert [m.candidate.id for m in found][:2] == [1, 3]
    assert found[0].score >= SAME
    assert "投资企业相同" in found[0].reasons and "落地地区相同" in found[0].reasons
    assert all(m.candidate.id != 2 for m in found)
    far = next(m for m in found if m.candidate.id == 4)
    assert far.score < found[0].score


def test_unrelated_names_are_not_suggested() -> None:
    found = rank("储能电池组装项目", [], "", [Candidate("project", 1, "智游德格项目")])
    assert found == []


def test_fingerprints_ignore_chrome_spacing_and_script() -> None:
    body = "张掖经济技术开发区举行重点项目集中签约仪式,甘肃云海新材料有限公司投资12亿元建设项目。"
    assert content_hash(body) == content_hash(body + "  \n")
    dressed = "首页 | 新闻\n" + body.replace(",", ", ") + "\n分享到:微信\n"
    assert near_key(dressed) == near_key(body)
    traditional = (
        "張掖經濟技術開發區舉行重點項目集中簽約儀式,甘肅雲海新材料有限公司投資12億元建設項目。"
    )
    assert near_key(traditional) == near_key(body)
    assert near_key(body.replace("12亿元", "15亿元")) != near_key(body)


def test_highlight_merges_overlapping_sentences() -> None:
    assert highlight("abcdefgh", [(1, 3), (2, 5), (7, 20)]) == [
        ("a", False),
        ("bcde", True),
        ("fg", False),
        ("h", True),
    ]
    assert highlight("abc", []) == [("abc", False)]


def test_an_items_figure_reads_with_its_qualifier_or_in_its_own_currency() -> None:
    from parklink.intel.templatetags.intel_tags import qualified

    assert qualified({"amount": "1000000000", "qualifier": "at_least"}) == "超10亿元"
    assert (
        qualified(
            {"amount": "", "foreign_amount": "50000000", "currency": "USD", "qualifier": "about"}
        )
        == "约50000000 USD"
    )
    assert qualified({}) == "—"


def test_the_pure_modules_import_no_django() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import parklink.intel.matching, parklink.intel.fingerprint, parklink.intel.fields\n"
        "import parklink.projects.amounts\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
