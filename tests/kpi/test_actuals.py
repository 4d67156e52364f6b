"""Actuals from the pipeline: signed, funds with evidence, bands, 突击上报, and visibility."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from parklink.kpi.engine import periods
from parklink.kpi.engine.scheme import Eligibility, Scheme
from parklink.kpi.models import Finding
from parklink.kpi.services import actuals
from tests.kpi.support import YI, World

Q1 = periods.parse("2025Q1")


def test_figures_of_a_county_as_it_sees_itself(world: World) -> None:
    jinniu = world.orgs["jinniu"].pk
    fig = actuals.figures(world.jinniu, [jinniu], Q1)[jinniu]
    # alpha and beta: the lead never counts, the late entry is 突击上报.
    assert fig["signed_count"] == 2
    assert fig["signed_amount"] == 17 * YI
    assert fig["late_reported"] == 1
    assert (fig["band_3_10"], fig["band_10_20"], fig["band_20_plus"]) == (1, 1, 0)
    assert fig["key_projects"] == 1
    assert fig["funds_total"] == D(14_000_000)
    assert fig["funds_out_of_province"] == D(12_000_000)
    assert fig["funds_foreign"] == D(2_000_000)
    assert fig["funds_unevidenced"] == D(3_000_000)
    assert fig["started_count"] == 1
    assert fig["landing_rate"] == D("0.5")  # alpha landed (registered and started), beta not
    assert fig["industrial_share"] == D("0.5")
    # Due to start by 2025-03-31: signed before 2024-09-30 → "old", which has not.
    assert (fig["overdue_not_started"], fig["start_rate"]) == (1, D(0))


def test_a_city_reads_only_signed_projects_and_a_lead_never_counts(world: World) -> None:
    jinniu = world.orgs["jinniu"].pk
    # Without the ledger rule, the late project counts too; the 30亿 lead still does not.
    lax = Scheme("x", "x", (), eligibility=Eligibility(ledger_before_close=False))
    own = actuals.figures(world.jinniu, [jinniu], Q1, lax)[jinniu]
    seen = actuals.figures(world.city, [jinniu], Q1, lax)[jinniu]
    assert own["signed_count"] == seen["signed_count"] == 3
    assert own["band_20_plus"] == seen["band_20_plus"] == 1  # the late one, not the lead
    behind = actuals.projects_behind(world.city, jinniu, Q1, "signed_count", lax)
    assert world.projects["lead"].pk not in set(behind.values_list("pk", flat=True))
    # Another prefecture's organisation sees none of 金牛区's projects: all zero.
    outside = actuals.figures(world.outsider, [jinniu], Q1)[jinniu]
    assert outside["signed_count"] == 0 and outside["funds_total"] == 0
    # A county does not see its neighbour's projects either.
    qbj = world.orgs["qingbaijiang"].pk
    assert actuals.figures(world.jinniu, [qbj], Q1)[qbj]["signed_count"] == 0
    assert actuals.figures(world.city, [qbj], Q1)[qbj]["signed_count"] == 1


def test_every_figure_opens_its_projects(world: World) -> None:
    jinniu = world.orgs["jinniu"].pk
    p = world.projects

    def names(figure: str) -> set[str]:
        return set(
            actuals.projects_behind(world.city, jinniu, Q1, figure).values_list("name", flat=True)
        )

    assert names("signed_count") == {p["alpha"].name, p["beta"].name}
    assert names("band_10_20") == {p["beta"].name}
    assert names("funds_unevidenced") == {p["alpha"].name}
    assert names("funds_foreign") == {p["beta"].name}
    assert names("late_reported") == {p["late"].name}
    assert names("overdue_not_started") == {p["old"].name}
    rows = actuals.funds_behind(world.city, jinniu, Q1, "funds_unevidenced")
    assert [r.amount for r in rows] == [D(3_000_000)]


def test_introduced_needs_every_condition(world: World) -> None:
    jinniu = world.orgs["jinniu"].pk
    rules = Scheme(
        "c",
        "c",
        (),
        eligibility=Eligibility(registered=True, started=True, min_actual_investment=D(10_000_000)),
    )
    # alpha: registered, started 2-20, evidenced funds reach 1000万 on 3-5 (800 + 400).
    fig = actuals.figures(world.city, [jinniu], Q1, rules)[jinniu]
    assert fig["introduced"] == 1
    pks, _owners = actuals.introduced_ids(world.city, [jinniu], Q1, actuals.Rules.of(rules))
    assert pks.tolist() == [world.projects["alpha"].pk]
    # Counted once: not again in Q2.
    assert (
        actuals.figures(world.city, [jinniu], periods.parse("2025Q2"), rules)[jinniu]["introduced"]
        == 0
    )
    # Above 1200万 the minimum is not reached (the unevidenced 300万 does not count).
    strict = Scheme(
        "c",
        "c",
        (),
        eligibility=Eligibility(registered=True, started=True, min_actual_investment=D(12_000_001)),
    )
    assert actuals.figures(world.city, [jinniu], Q1, strict)[jinniu]["introduced"] == 0


def test_falsified_findings_count(world: World) -> None:
    jinniu = world.orgs["jinniu"].pk
    Finding.objects.create(
        project=world.projects["beta"],
        kind="falsified",
        noted_on=date(2025, 3, 30),
        noted_by=world.orgs["city"],
        note="虚报投资额",
    )
    assert actuals.figures(world.city, [jinniu], Q1)[jinniu]["falsified"] == 1
