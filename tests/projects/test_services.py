"""Project services: creation, transitions with history, progress and ageing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from parklink.core.errors import ConfirmationRequired, Conflict, IllegalTransition, Invalid
from parklink.projects import services
from parklink.projects.ageing import Colour, months_before
from parklink.projects.models import Project, StageTransition
from parklink.projects.queries import (
    ProjectFilters,
    apply_filters,
    visible_projects,
)


@pytest.fixture
def officer(users):  # type: ignore[no-untyped-def]
    return users["jinniu"]


def make(officer, today, **extra):  # type: ignore[no-untyped-def]
    fields = {
        "name": "冷链物联网设备生产项目",
        "region_id": "510106",
        "stage": "signed",
        "stage_date": today - timedelta(days=10),
    }
    fields.update(extra)
    return services.create_project(officer, **fields)


class TestCreateProject:
    def test_records_the_entry_in_the_history(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today)
        entry = project.transitions.get()
        assert (entry.from_stage, entry.to_stage, entry.actor) == ("", "signed", officer)
        assert project.signed_on == today - timedelta(days=10)

    def test_phase_investment_above_total_is_refused(self, officer, today):  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            make(officer, today, total_investment=Decimal("100"), phase_investment=Decimal("200"))
        assert "phase_investment" in caught.value.detail
        assert Project.objects.count() == 0

    def test_region_comes_from_the_park_when_missing(self, officer, today, orgs):  # type: ignore[no-untyped-def]
        from parklink.parks.services import create_park

        park = create_park(officer, name="金什合作产业园", kind="cobuilt_park", region_id="510682")
        project = services.create_project(officer, name="入驻项目", park=park)
        assert project.region_id == "510682"

    def test_unknown_tag_is_refused(self, officer, today):  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid):
            make(officer, today, tags=["no-such-tag"])


class TestValuesThatDoNotFitTheirColumn:
    """Refused with the field named, before anything is written (not a database error)."""

    def test_amount_wider_than_the_column_is_refused(self, officer, today):  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            make(officer, today, total_investment=Decimal("1e15"))
        assert set(caught.value.detail) == {"total_investment"}
        assert Project.objects.count() == 0

    def test_amount_finer_than_the_fen_is_refused(self, officer, today):  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            make(officer, today, expected_annual_tax=Decimal("1.005"))
        assert set(caught.value.detail) == {"expected_annual_tax"}

    def test_amount_just_below_the_limit_is_accepted(self, officer, today):  # type: ignore[no-untyped-def]
        largest = Decimal("999999999999999")  # 1000万亿元 less one 元
        project = make(officer, today, total_investment=largest)
        project.refresh_from_db()
        assert project.total_investment == largest

    def test_text_longer_than_its_column_is_refused(self, officer, today):  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            make(officer, today, name="长" * 201, code_name="代" * 65)
        assert set(caught.value.detail) == {"name", "code_name"}
        assert Project.objects.count() == 0

    def test_update_is_checked_the_same_way(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today)
        with pytest.raises(Invalid) as caught:
            services.update_project(officer, project, sector="产" * 65)
        assert set(caught.value.detail) == {"sector"}
        project.refresh_from_db()
        assert project.sector == ""

    def test_funds_wider_than_the_column_are_refused(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today)
        with pytest.raises(Invalid) as caught:
            services.add_funds(officer, project, today, Decimal("1e20"))
        assert set(caught.value.detail) == {"amount"}
        assert not project.funds.exists()

    def test_long_milestone_name_and_approval_reference_are_refused(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today)
        with pytest.raises(Invalid):
            services.add_milestone(officer, project, "节" * 129, today)
        with pytest.raises(Invalid):
            services.set_approval(
                officer, project, "environmental", "approved", reference="文" * 129
            )
        with pytest.raises(Invalid):
            services.add_funds(officer, project, today, Decimal("100"), evidence="凭" * 256)
        assert not (project.milestones.exists() or project.approvals.exists())
        assert not project.funds.exists()


class TestCompleteMilestone:
    def test_completing_a_done_milestone_again_is_refused_and_fakes_no_progress(
        self, officer, today
    ):  # type: ignore[no-untyped-def]
        project = make(officer, today, stage_date=today - timedelta(days=100))
        milestone = services.add_milestone(officer, project, "完成土地摘牌", today)
        done_on = today - timedelta(days=90)
        services.complete_milestone(officer, milestone, on=done_on)
        with pytest.raises(Conflict):
            services.complete_milestone(officer, milestone, on=today)
        milestone.refresh_from_db()
        project.refresh_from_db()
        assert (milestone.done_on, project.last_progress_on) == (done_on, done_on)


class TestTransition:
    def test_walks_the_pipeline_and_keeps_every_step(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today)
        for stage in ("approvals", "started", "under_construction"):
            services.transition(officer, project, stage, on=today, note=f"进入{stage}")
        project.refresh_from_db()
        assert project.stage == "under_construction"
        steps = list(project.transitions.values_list("to_stage", flat=True))
        assert steps == ["signed", "approvals", "started", "under_construction"]

    def test_illegal_move_names_the_allowed_stages(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today)
        with pytest.raises(IllegalTransition) as caught:
            services.transition(officer, project, "in_production", on=today)
        assert caught.value.detail["allowed"] == ["approvals", "started", "stalled", "terminated"]
        assert "不能从“签约”直接变更为“投产”" in caught.value.message
        assert StageTransition.objects.filter(project=project).count() == 1

    def test_date_before_the_current_stage_is_refused(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today)
        with pytest.raises(Invalid):
            services.transition(officer, project, "approvals", on=today - timedelta(days=30))

    def test_stalling_needs_a_reason_and_resumes_where_it_stopped(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today)
        with pytest.raises(Invalid):
            services.transition(officer, project, "stalled", on=today)
        services.transition(officer, project, "stalled", on=today, note="资金未到位")
        project.refresh_from_db()
        assert services.allowed_next(project) == ["signed", "terminated"]
        services.transition(officer, project, "signed", on=today, note="恢复")
        project.refresh_from_db()
        assert project.stage == "signed" and project.stalled_from == ""

    def test_final_stage_offers_no_moves(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today)
        services.transition(officer, project, "terminated", on=today, note="企业撤资")
        project.refresh_from_db()
        assert services.allowed_next(project) == []


class TestAgeing:
    def test_colour_follows_last_progress(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today, stage_date=months_before(today, 4))
        assert services.colour_of(project) == Colour.RED
        services.add_funds(officer, project, today, Decimal("1000000"), evidence="银行回单")
        project.refresh_from_db()
        assert services.colour_of(project) == Colour.GREEN

    def test_colour_filter_matches_the_computed_colour(self, officer, today):  # type: ignore[no-untyped-def]
        ages = {"绿": 0, "黄": 2, "红": 4, "出库": 7}
        for name, months in ages.items():
            make(officer, today, name=name, stage_date=months_before(today, months))
        stalled = make(officer, today, name="停滞", stage_date=months_before(today, 1))
        services.transition(officer, stalled, "stalled", on=today, note="资金未到位")
        for colour in Colour:
            found = apply_filters(visible_projects(officer), ProjectFilters(colour=colour))
            assert {services.colour_of(p) for p in found} == {colour}

    def test_attention_list_has_late_and_overdue_projects_of_the_leader(self, officer, today):  # type: ignore[no-untyped-def]
        fresh = make(officer, today, name="按期项目", leader_user=officer)
        late = make(
            officer, today, name="滞后项目", leader_user=officer, stage_date=months_before(today, 3)
        )
        overdue = make(officer, today, name="节点逾期", leader_user=officer)
        services.add_milestone(officer, overdue, "完成环评", today - timedelta(days=1))
        make(officer, today, name="别人的项目", stage_date=months_before(today, 3))
        names = set(services.attention_list(officer).values_list("name", flat=True))
        assert names == {late.name, overdue.name}
        assert fresh.name not in names

    def test_summary_counts_only_visible_projects(self, users, officer, today):  # type: ignore[no-untyped-def]
        make(officer, today, stage="negotiating", stage_date=months_before(today, 3))
        assert services.ageing_summary(officer).red == 1
        assert services.ageing_summary(users["city"]).red == 0


class TestSignedDateFilter:
    def test_signed_range_is_inclusive(self, officer, today):  # type: ignore[no-untyped-def]
        for days in (0, 10, 40):
            make(officer, today, name=f"签约{days}", stage_date=today - timedelta(days=days))
        make(officer, today, name="线索", stage="lead")
        filters = ProjectFilters(
            signed_from=today - timedelta(days=10), signed_to=today - timedelta(days=1)
        )
        found = apply_filters(visible_projects(officer), filters)
        assert [p.name for p in found] == ["签约10"]


class TestOwnerThresholdsAndStalled:
    def test_filter_summary_and_badge_agree_under_the_owners_policy(self, users, today):  # type: ignore[no-untyped-def]
        from parklink.projects.models import AgeingPolicy

        jinniu = users["jinniu"]
        AgeingPolicy.objects.create(
            organization=jinniu.organization, yellow_months=1, red_months=2, removal_months=12
        )
        project = make(jinniu, today, stage_date=months_before(today, 2))  # red for jinniu
        city = users["city"]  # uses the installation's 2/3/6: would say yellow
        assert services.colour_of(project) == Colour.RED
        red = apply_filters(visible_projects(city), ProjectFilters(colour="red"))
        assert list(red) == [project]
        assert services.ageing_summary(city).red == 1

    def test_stalled_projects_keep_ageing(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today, stage_date=months_before(today, 7), leader_user=officer)
        services.transition(officer, project, "stalled", on=months_before(today, 7), note="资金")
        project.refresh_from_db()
        assert services.colour_of(project) == Colour.STALLED
        assert project.last_progress_on == months_before(today, 7)
        assert project in services.attention_list(officer)

    def test_namesake_leader_of_another_organisation_is_not_my_attention(self, users, today):  # type: ignore[no-untyped-def]
        mine, theirs = users["city"], users["jinniu"]
        mine.display_name = "王强"
        mine.save()
        make(theirs, today, responsible_leader="王强", stage_date=months_before(today, 4))
        assert not services.attention_list(mine).exists()


class TestStalledStanding:
    """A stall is not progress: a stalled project has its own standing and is never green."""

    def stall(self, officer, today):  # type: ignore[no-untyped-def]
        # Under construction and quiet for four months (red), then stalled today.
        project = make(
            officer, today, stage="under_construction", stage_date=months_before(today, 4)
        )
        services.transition(officer, project, "stalled", on=today, note="资金未到位")
        project.refresh_from_db()
        return project

    def test_stalling_is_not_progress(self, officer, today):  # type: ignore[no-untyped-def]
        project = self.stall(officer, today)
        assert project.last_progress_on == months_before(today, 4)
        assert services.colour_of(project) == Colour.STALLED

    def test_filters_and_summary_call_it_stalled_not_green(self, officer, today):  # type: ignore[no-untyped-def]
        project = self.stall(officer, today)
        mine = visible_projects(officer)
        assert not apply_filters(mine, ProjectFilters(colour="green")).exists()
        assert not apply_filters(mine, ProjectFilters(colour="red")).exists()
        assert list(apply_filters(mine, ProjectFilters(colour="stalled"))) == [project]
        summary = services.ageing_summary(officer)
        assert (summary.green, summary.red, summary.stalled) == (0, 0, 1)

    def test_a_stalled_project_needs_its_leaders_attention(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today, leader_user=officer)
        services.transition(officer, project, "stalled", on=today, note="资金未到位")
        assert project in services.attention_list(officer)

    def test_resuming_is_progress(self, officer, today):  # type: ignore[no-untyped-def]
        project = self.stall(officer, today)
        services.transition(officer, project, "under_construction", on=today, note="资金到位")
        project.refresh_from_db()
        assert project.last_progress_on == today
        assert services.colour_of(project) == Colour.GREEN


class TestNestedParkFilter:
    def test_park_filter_covers_sub_parks_of_sub_parks(self, officer, today):  # type: ignore[no-untyped-def]
        from parklink.parks.services import create_park

        top = create_park(officer, name="经开区", kind="national_etdz", region_id="510106")
        middle = create_park(
            officer, name="片区", kind="industrial_park", region_id="510106", parent=top
        )
        bottom = create_park(
            officer, name="小微园", kind="industrial_park", region_id="510106", parent=middle
        )
        deep = make(officer, today, name="深层项目", park=bottom)
        found = apply_filters(visible_projects(officer), ProjectFilters(park=top.pk))
        assert list(found) == [deep]


class TestApprovalDates:
    def test_submission_in_the_future_is_refused_but_a_due_date_is_fine(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today)
        services.set_approval(
            officer, project, "environmental", "in_preparation", due_on=today + timedelta(days=30)
        )
        with pytest.raises(Invalid) as caught:
            services.set_approval(
                officer,
                project,
                "environmental",
                "submitted",
                submitted_on=today + timedelta(days=1),
            )
        assert "submitted_on" in caught.value.detail


class TestDateBounds:
    def test_a_stage_date_before_1949_10_01_is_refused(self, officer, today):  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            make(officer, today, stage_date=date(1900, 1, 1))
        assert caught.value.detail == {"stage_date": "阶段日期不能早于1949-10-01"}

    def test_funds_before_the_entry_date_are_refused(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today)
        with pytest.raises(Invalid) as caught:
            services.add_funds(officer, project, date(1990, 1, 1), Decimal("100"))
        assert list(caught.value.detail) == ["received_on"]

    def test_an_approval_due_in_20_years_is_refused(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today)
        with pytest.raises(Invalid) as caught:
            services.set_approval(
                officer, project, "environmental", "submitted", due_on=date(today.year + 20, 1, 1)
            )
        assert list(caught.value.detail) == ["due_on"]

    def test_a_milestone_completed_in_1900_is_refused(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today)
        milestone = services.add_milestone(officer, project, "开工", today)
        with pytest.raises(Invalid):
            services.complete_milestone(officer, milestone, date(1900, 1, 1))


class TestFundsAboveTotal:
    def test_refused_without_confirmation_and_recorded_with_it(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today, total_investment=Decimal("1000000"))
        services.add_funds(officer, project, today, Decimal("1000000"))
        with pytest.raises(ConfirmationRequired) as caught:
            services.add_funds(officer, project, today, Decimal("0.01"))
        assert caught.value.status == 409
        assert caught.value.detail["funds_total"] == "1000000.01"
        services.add_funds(officer, project, today, Decimal("0.01"), confirm=True)
        assert project.funds.count() == 2

    def test_no_total_investment_means_nothing_to_confirm(self, officer, today):  # type: ignore[no-untyped-def]
        project = make(officer, today)
        services.add_funds(officer, project, today, Decimal("99999999"))
        assert project.funds.count() == 1
