"""The pure scoring core: text, adjacency, proximity, the combined rank, eligibility."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from parklink.matching.scoring import eligibility as el
from parklink.matching.scoring import proximity
from parklink.matching.scoring.adjacency import DIRECT, SAME, TWO_STEP, Adjacency, SegmentRef
from parklink.matching.scoring.rank import NEED, SUPPLY, ListingIndex, Row
from parklink.matching.scoring.text import TextIndex
from parklink.matching.scoring.tokens import tokenize

SEGMENTS = [
    SegmentRef("lithium", "ore", "锂矿", None),
    SegmentRef("lithium", "cathode", "正极材料", None),
    SegmentRef("lithium", "cell", "电芯", None),
    SegmentRef("lithium", "cell_power", "动力电芯", "cell"),
    SegmentRef("lithium", "pack", "电池包", None),
]
EDGES = [
    ("lithium", "ore", "cathode"),
    ("lithium", "cathode", "cell"),
    ("lithium", "cell", "pack"),
]


def test_tokens_drop_filler_and_keep_materials():
    words = tokenize("长期供应磷酸铁锂正极材料,每月500吨")
    assert "磷酸" in words and "正极" in words and "铁锂" in words
    assert "500" not in words
    assert "长期" not in words and "供应" not in words and "吨" not in words


def test_bm25_ranks_the_document_with_the_rare_word_first():
    index = TextIndex.from_texts(["磷酸铁锂正极材料", "锂电池隔膜", "光伏组件边框铝型材"])
    scores = index.scores("正极材料")
    assert scores.argmax() == 0
    assert scores[2] == 0


def test_adjacency_follows_edges_and_parents():
    adj = Adjacency(SEGMENTS, EDGES)
    ore, cathode, cell, power, pack = (
        adj.id_of("lithium", k) for k in ("ore", "cathode", "cell", "cell_power", "pack")
    )
    assert adj.value(cathode, cell) == DIRECT
    assert adj.value(cell, cathode) == 0  # a buyer does not feed its supplier
    assert adj.value(cathode, cathode) == SAME
    assert adj.value(ore, cell) == pytest.approx(TWO_STEP)
    assert adj.value(power, pack) > 0  # a sub-segment of the cell feeds the pack
    assert adj.value(cathode, power) > 0  # and is fed like its parent
    assert adj.value(-1, cell) == 0


def test_proximity_levels():
    cols = proximity.PlaceColumns.build(
        [
            proximity.Place("510106", 1, 30.68, 104.05),  # 金牛区, 成都
            proximity.Place("510107", 1, 30.64, 104.04),  # 武侯区, 成都
            proximity.Place("510682", 1, 31.13, 104.17),  # 什邡市, 德阳 (metro)
            proximity.Place("511302", -1, 30.80, 106.08),  # 南充 (province)
            proximity.Place("440305", -1, 22.53, 113.93),  # 深圳 (far)
            proximity.Place(None),
        ]
    )
    score, level = proximity.scores(proximity.Place("510106", 1, 30.68, 104.05), cols)
    assert list(level) == [5, 4, 3, 2, 1, 0]
    assert score[0] > score[1] > score[2] > score[3] > score[4]
    assert score[4] < 0.1  # about 1,300 km away


def _rows():
    chengdu = proximity.Place("510106", 1, 30.68, 104.05)
    deyang = proximity.Place("510682", 1, 31.13, 104.17)
    far = proximity.Place("440305", -1, 22.53, 113.93)
    adj = Adjacency(SEGMENTS, EDGES)
    seg = adj.id_of
    rows = [
        Row(
            1,
            SUPPLY,
            tuple(tokenize("磷酸铁锂正极材料")),
            seg("lithium", "cathode"),
            deyang,
            500,
            "吨",
            enterprise=10,
        ),
        Row(
            2,
            SUPPLY,
            tuple(tokenize("磷酸铁锂正极材料")),
            seg("lithium", "cathode"),
            far,
            500,
            "吨",
            enterprise=11,
        ),
        Row(3, SUPPLY, tuple(tokenize("办公家具")), -1, chengdu, enterprise=12),
        Row(
            4,
            NEED,
            tuple(tokenize("正极材料")),
            seg("lithium", "cell"),
            chengdu,
            400,
            "吨",
            enterprise=13,
        ),
        Row(
            5,
            SUPPLY,
            tuple(tokenize("正极材料 现货")),
            seg("lithium", "cathode"),
            chengdu,
            enterprise=13,
            open=True,
        ),
        Row(
            6,
            SUPPLY,
            tuple(tokenize("磷酸铁锂正极材料")),
            seg("lithium", "cathode"),
            chengdu,
            enterprise=14,
            open=False,
        ),
    ]
    return ListingIndex(rows, adj), rows


def test_rank_prefers_near_adjacent_supplier_with_reasons():
    index, rows = _rows()
    matches = index.top(rows[3], k=10)
    ids = [m.id for m in matches]
    assert ids[:2] == [1, 2]  # same words and segment; 德阳 (metro) before 深圳
    assert 3 not in ids  # no word, no segment in common
    assert 5 not in ids  # the query's own enterprise
    assert 6 not in ids  # closed
    best = matches[0]
    assert best.parts["segment"] == pytest.approx(DIRECT)
    assert any("正极" in r for r in best.reasons)
    assert "同一都市圈" in best.reasons
    assert "数量匹配度 80%" in best.reasons


def test_rank_top_k_is_sorted_and_bounded():
    index, rows = _rows()
    matches = index.top(rows[3], k=1)
    assert len(matches) == 1 and matches[0].id == 1
    scores = [m.score for m in index.top(rows[3], k=5)]
    assert scores == sorted(scores, reverse=True)


CONDITIONS = [
    {
        "key": "place",
        "label": "在金牛区",
        "clause": "第二条 注册在金牛区",
        "rule": {"in": [{"var": "county"}, ["510106"]]},
    },
    {
        "key": "capital",
        "label": "注册资本不低于500万元",
        "clause": "第三条(一)",
        "rule": {">=": [{"var": "registered_capital"}, 5000000]},
    },
    {
        "key": "tech",
        "label": "高新技术企业",
        "clause": "第三条(二)",
        "rule": {"==": [{"var": "is_high_tech"}, True]},
    },
    {
        "key": "chain",
        "label": "锂电产业链",
        "clause": "第三条(三)",
        "rule": {"in": ["lithium:cell", {"var": "segments"}]},
    },
]
FACTS = [
    {
        "county": "510106",
        "registered_capital": 6_000_000,
        "is_high_tech": True,
        "segments": ["lithium:cell"],
    },
    {
        "county": "510106",
        "registered_capital": 1_000_000,
        "is_high_tech": True,
        "segments": ["lithium:cell"],
    },
    {
        "county": "510106",
        "registered_capital": None,
        "is_high_tech": True,
        "segments": ["lithium:cell"],
    },
    {"county": "510682", "registered_capital": 9_000_000, "is_high_tech": False, "segments": []},
]


def test_conditions_evaluate_per_enterprise_with_unknown():
    conditions = el.parse_conditions(CONDITIONS)
    states = [[el.evaluate(c, f) for c in conditions] for f in FACTS]
    assert states[0] == [el.MET] * 4
    assert states[1][1] == el.NOT_MET
    assert states[2][1] == el.UNKNOWN
    assert states[3] == [el.NOT_MET, el.MET, el.NOT_MET, el.NOT_MET]


def test_vectorised_agrees_with_json_logic_and_tallies():
    conditions = el.parse_conditions(CONDITIONS)
    cols = el.Columns.from_facts(FACTS)
    compiled = [el.compile_rule(c) for c in conditions]
    for c, item in zip(conditions, compiled, strict=True):
        met, known = item.states(cols)
        for row, facts in enumerate(FACTS):
            state = el.evaluate(c, facts)
            assert bool(met[row]) == (state == el.MET)
            assert bool(known[row]) == (state != el.UNKNOWN)
    result = el.tally(compiled, cols)
    assert list(result.qualifying) == [0]
    assert list(result.one_away) == [1, 2]
    assert list(result.failing) == [1, 1]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "条件应为列表"),
        ([{"key": "a", "label": "x", "clause": "c", "rule": {"regex": [1]}}], "不支持的运算符"),
        ([{"key": "a", "label": "x", "clause": "c", "rule": {"var": "salary"}}], "未知的企业字段"),
        ([{"key": "a", "label": "x", "rule": {"var": "revenue"}}], "缺少 clause"),
        ([{"key": "a", "label": "x", "clause": "c", "rule": {"==": [1, 1]}}], "没有引用"),
    ],
)
def test_bad_conditions_are_refused_with_the_reason(data, message):
    with pytest.raises(el.ConditionError, match=message):
        el.parse_conditions(data)


def test_benefit_estimate_is_exact_and_capped():
    rate = el.Benefit("rate", rate=Decimal("0.015"), base="revenue", cap=Decimal("200000"))
    assert el.estimate(rate, {"revenue": Decimal("3333333.33")}) == Decimal("50000.00")
    assert el.estimate(rate, {"revenue": 99_000_000}) == Decimal("200000")
    assert el.estimate(rate, {"revenue": None}) is None
    assert el.estimate(el.Benefit("fixed", amount=Decimal("300000")), {}) == Decimal("300000")


def test_readiness_needs_held_facts_determinate_amount_and_force():
    conditions = el.parse_conditions(CONDITIONS)
    fixed = el.Benefit("fixed", amount=Decimal("100000"))
    assert el.readiness_problems(conditions, fixed, in_force=True) == []
    declared = [
        *CONDITIONS,
        {
            "key": "rnd",
            "label": "研发占比",
            "clause": "第四条",
            "rule": {">=": [{"var": "rnd_ratio"}, 5]},
        },
    ]
    problems = el.readiness_problems(el.parse_conditions(declared), el.Benefit("other"), False)
    assert len(problems) == 3 and "研发投入占比" in problems[0]


def test_vectorised_handles_a_large_column_set_quickly():
    n = 200_000
    rng = np.random.default_rng(1)
    cols = el.Columns(
        n,
        {
            "county": rng.choice(np.array(["510106", "510682", ""]), n),
            "registered_capital": np.where(rng.random(n) < 0.1, np.nan, rng.random(n) * 1e7),
            "is_high_tech": rng.random(n) < 0.3,
        },
        {"segments": {"lithium:cell": np.flatnonzero(rng.random(n) < 0.2)}},
    )
    compiled = [el.compile_rule(c) for c in el.parse_conditions(CONDITIONS)]
    result = el.tally(compiled, cols)
    expected = (
        (cols.arrays["county"] == "510106")
        & (np.nan_to_num(cols.arrays["registered_capital"], nan=-1) >= 5e6)
        & cols.arrays["is_high_tech"]
        & cols.member("segments", "lithium:cell")
    )
    assert np.array_equal(result.qualifying, np.flatnonzero(expected))


def test_pruned_top_equals_scoring_every_row():
    """The pool-and-bound search returns exactly what scoring every relevant row returns."""
    rng = np.random.default_rng(3)
    adj = Adjacency(SEGMENTS, EDGES)
    places = [
        proximity.Place("510106", 1, 30.68, 104.05),
        proximity.Place("510682", 1, 31.13, 104.17),
        proximity.Place("440305", -1, 22.53, 113.93),
        proximity.Place("511302", -1, 30.80, 106.08),
    ]
    vocab = [f"词{i}" for i in range(60)]
    rows = [
        Row(
            i,
            int(rng.integers(0, 2)),
            tuple(rng.choice(vocab, int(rng.integers(1, 5)))),
            int(rng.integers(-1, len(SEGMENTS))),
            places[int(rng.integers(0, len(places)))],
            float(rng.integers(1, 100)),
            "吨",
            enterprise=int(rng.integers(0, 500)),
            open=bool(rng.random() < 0.9),
        )
        for i in range(3000)
    ]
    index = ListingIndex(rows, adj)
    index.POOL = 4  # force the pool to grow
    for query in rows[:40]:
        found = [m.id for m in index.top(query, k=10)]
        relevant, text, best = index.relevant(query)
        if len(relevant) == 0:
            assert found == []
            continue
        parts = index._score(query, relevant, text, best)
        order = np.lexsort((index.ids[relevant], -parts["_total"]))[:10]
        assert found == [int(index.ids[relevant[j]]) for j in order]


def test_a_region_preference_halves_the_region_part_outside_it():
    index, rows = _rows()
    query = rows[3]
    plain = {m.id: m for m in index.top(query, k=10)}
    from dataclasses import replace

    city_only = {m.id: m for m in index.top(replace(query, prefer=4), k=10)}
    # row 1 (德阳, same metro, not the same city) keeps half its region part
    assert city_only[1].parts["region"] == pytest.approx(plain[1].parts["region"] / 2)
    assert any("不在偏好地域(同城)内" in r for r in city_only[1].reasons)
    metro = {m.id: m for m in index.top(replace(query, prefer=3), k=10)}
    assert metro[1].parts["region"] == pytest.approx(plain[1].parts["region"])
