"""The demo set: the articles' parks and projects, with their figures, loaded idempotently."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from parklink.accounts.models import Organization, User
from parklink.core import demo as runner
from parklink.core.demo import load_demo
from parklink.core.models import SourceCitation
from parklink.core.registry import registry
from parklink.enterprises.models import Enterprise
from parklink.parks.models import LinkageMember, Park, ParkIndicator, ParkIndustry, ParkLinkage
from parklink.projects.models import Project, StageTransition
from tests.cobuild.test_demo import _rows_counts, clear_demo

YI = Decimal(100_000_000)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load once for the module; tests only read. Afterwards every row the demo added goes,
    whichever app added it (the apps' demo steps protect each other's rows)."""
    with django_db_blocker.unblock():
        before = _rows_counts()
        report = load_demo()
        yield report
        clear_demo(before)


@pytest.mark.django_db
class TestDemoData:
    def test_loads_every_kind_of_record(self, demo):  # type: ignore[no-untyped-def]
        assert demo.created["parks"] >= 25 and demo.created["projects"] >= 40
        assert demo.created["enterprises"] >= 60 and demo.created["linkages"] >= 2
        assert User.objects.get(username="admin").is_superuser

    def test_second_load_changes_nothing(self, demo):  # type: ignore[no-untyped-def]
        counts = [
            m.objects.count()
            for m in (Project, Park, Enterprise, StageTransition, SourceCitation, User)
        ]
        assert load_demo().total == 0
        assert counts == [
            m.objects.count()
            for m in (Project, Park, Enterprise, StageTransition, SourceCitation, User)
        ]

    def test_every_record_cites_its_source(self, demo):  # type: ignore[no-untyped-def]
        from django.contrib.contenttypes.models import ContentType

        for model in (Project, Park, Enterprise, Organization, ParkLinkage):
            ct = ContentType.objects.get_for_model(model)
            cited = set(
                SourceCitation.objects.filter(content_type=ct).values_list("object_id", flat=True)
            )
            # Illustrative records (示例数据: apps' demo listings, policies' enterprises) carry
            # 示例 in their names wherever they show and cite no article.
            missing = (
                model.objects.exclude(pk__in=cited)
                .exclude(name__contains="示例")
                .values_list("name", flat=True)
            )
            assert not list(missing), f"{model.__name__} without a source: {list(missing)}"
        assert (
            SourceCitation.objects.filter(document__endswith=".txt").count()
            == SourceCitation.objects.count()
        )

    def test_gaode_park_has_its_four_sub_parks_and_carriers(self, demo):  # type: ignore[no-untyped-def]
        gaode = Park.objects.get(short_name="高德产业园")
        assert gaode.children.count() == 4
        assert gaode.carrier_built_m2 == Decimal(745000)

    def test_three_park_linkage_roles(self, demo):  # type: ignore[no-untyped-def]
        members = LinkageMember.objects.filter(linkage__name__contains="三园联动")
        roles = {m.park.short_name or m.park.name: m.role for m in members}
        assert roles["高德产业园"] == "rnd_incubation"
        assert set(roles.values()) == {
            "rnd_incubation",
            "supporting_manufacturing",
            "local_landing",
        }

    def test_zhangye_two_plus_six_and_indicators(self, demo):  # type: ignore[no-untyped-def]
        industries = ParkIndustry.objects.filter(
            park__name__contains="张掖经开区", park__parent__isnull=True
        )
        assert industries.filter(role="representative").count() == 2
        assert industries.filter(role="foundational").count() == 6
        gdp = ParkIndicator.objects.get(
            park__name__contains="张掖经开区", year=2023, indicator="gdp"
        )
        assert gdp.value == Decimal("176.25") * YI
        rank = ParkIndicator.objects.get(
            park__name__contains="张掖经开区", year=2023, indicator="national_rank"
        )
        assert rank.value == 131

    @pytest.mark.parametrize(
        ("name_part", "total_yi", "stage"),
        [
            ("一氧化二氮", "10", "signed"),
            ("天承杜仲", "5.6", "under_construction"),
            ("腾讯IDC", "100", "approvals"),
            ("动力电池", "120", None),
        ],
    )
    def test_article_figures(self, demo, name_part, total_yi, stage):  # type: ignore[no-untyped-def]
        project = Project.objects.get(name__contains=name_part)
        assert project.total_investment == Decimal(total_yi) * YI
        if stage:
            assert project.stage == stage

    def test_nitrous_oxide_full_production_revenue(self, demo):  # type: ignore[no-untyped-def]
        project = Project.objects.get(name__contains="一氧化二氮")
        assert project.expected_annual_revenue == 8 * YI

    def test_dege_aid_projects_signed_on_the_day(self, demo):  # type: ignore[no-untyped-def]
        aid = Project.objects.filter(tags__code="aid")
        assert aid.count() >= 6
        assert {p.stage for p in aid} == {"signed"}
        assert {str(p.signed_on) for p in aid} == {"2025-03-21"}

    def test_history_is_replayed_through_the_lifecycle(self, demo):  # type: ignore[no-untyped-def]
        for project in Project.objects.all():
            steps = list(
                project.transitions.order_by("effective_on", "id").values_list(
                    "to_stage", flat=True
                )
            )
            assert steps[-1] == project.stage


@pytest.mark.django_db
def test_demo_command_prints_the_login(capsys, demo):  # type: ignore[no-untyped-def]
    call_command("demo", "--no-migrate")
    out = capsys.readouterr().out
    assert "admin / parklink-demo" in out and "nothing changed" in out


class TestDemoSteps:
    def test_each_step_runs_after_the_ones_it_names(self) -> None:
        order = [step.key for step in registry.ordered_demo_steps()]
        assert set(order) >= {
            "regions",
            "organizations",
            "parks",
            "linkages",
            "enterprises",
            "projects",
        }
        for step in registry.ordered_demo_steps():
            assert all(order.index(before) < order.index(step.key) for before in step.after)

    def test_the_runner_in_core_imports_no_other_parklink_app(self) -> None:
        source = Path(runner.__file__).read_text("utf-8")
        imported = [
            node.module or ""
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.ImportFrom)
        ] + [
            alias.name
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Import)
            for alias in node.names
        ]
        ours = [name for name in imported if name.startswith("parklink")]
        assert ours and all(name.startswith("parklink.core") for name in ours)


class TestDemoCommandOutput:
    def test_the_data_date_is_the_latest_dated_article(self) -> None:
        from datetime import date

        assert runner.data_date() == date(2025, 3, 21)

    def test_print_as_of_prints_only_the_date(self) -> None:
        import io

        out = io.StringIO()
        call_command("demo", "--print-as-of", stdout=out)
        assert out.getvalue().strip() == "2025-03-21"

    def test_the_login_line_names_the_address_it_was_given(self, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        import io

        monkeypatch.setattr(
            "parklink.core.management.commands.demo.load_demo", lambda: runner.DemoContext(None)
        )
        out = io.StringIO()
        call_command("demo", "--no-migrate", "--url", "http://127.0.0.1:8101/", stdout=out)
        assert "http://127.0.0.1:8101/" in out.getvalue()
        assert ":8000" not in out.getvalue()
