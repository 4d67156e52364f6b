"""Recording engagements, contacts and follow-ups: the rules every entry point shares."""

from __future__ import annotations

from datetime import timedelta

import pytest

from parklink.core.errors import Forbidden, Invalid
from parklink.engagements.models import FollowUpStatus
from parklink.engagements.services import (
    add_follow_up,
    create_contact,
    create_engagement,
    update_contact,
    update_engagement,
    update_follow_up,
)


class TestCreateEngagement:
    def test_links_and_owner(self, world) -> None:
        made = world.engagement(
            contacts=[world.jinniu_contact.pk],
            projects=[world.jinniu_project.pk],
            participants=[world.dege_officer.pk],
            other_participants="区商务局张科长",
        )
        assert made.owner_id == world.jinniu.pk
        assert made.created_by == world.jinniu_officer
        assert list(made.contacts.all()) == [world.jinniu_contact]
        assert list(made.projects.all()) == [world.jinniu_project]
        assert list(made.participants.all()) == [world.dege_officer]

    def test_a_contacts_enterprise_is_linked_too(self, world) -> None:
        made = world.engagement(enterprises=[], contacts=[world.jinniu_contact.pk])
        assert list(made.enterprises.all()) == [world.firm]

    def test_viewer_may_not_record(self, world) -> None:
        with pytest.raises(Forbidden):
            world.engagement(by=world.jinniu_viewer)

    def test_another_organisations_contact_is_refused(self, world) -> None:
        with pytest.raises(Invalid) as caught:
            world.engagement(contacts=[world.dege_contact.pk])
        assert "contacts" in caught.value.detail

    def test_a_project_the_user_cannot_see_is_refused(self, world) -> None:
        with pytest.raises(Invalid) as caught:
            world.engagement(projects=[world.dege_project.pk])
        assert "项目不存在或无权查看" in caught.value.message

    def test_a_visit_needs_an_enterprise(self, world) -> None:
        with pytest.raises(Invalid) as caught:
            world.engagement(enterprises=[])
        assert caught.value.detail == {"enterprises": "请至少选择一家对接企业"}

    def test_only_events_list_signed_projects(self, world) -> None:
        with pytest.raises(Invalid) as caught:
            world.engagement(signed_projects=[world.jinniu_project.pk])
        assert "signed_projects" in caught.value.detail
        event = world.engagement(
            kind="signing",
            enterprises=[],
            signed_projects=[world.jinniu_project.pk],
            signed_count=15,
        )
        assert event.is_event and event.signed_count == 15

    def test_signed_count_below_the_linked_projects_is_refused(self, world) -> None:
        with pytest.raises(Invalid) as caught:
            world.engagement(
                kind="signing", signed_projects=[world.jinniu_project.pk], signed_count=0
            )
        assert "不能少于" in caught.value.message

    def test_blank_title_and_far_dates_are_refused(self, world) -> None:
        with pytest.raises(Invalid) as caught:
            world.engagement(title="   ")
        assert caught.value.detail == {"title": "请填写主题"}
        with pytest.raises(Invalid) as caught:
            world.engagement(held_on=world.today.replace(year=world.today.year + 11))
        assert "held_on" in caught.value.detail

    def test_unknown_kind(self, world) -> None:
        with pytest.raises(Invalid):
            world.engagement(kind="party")


class TestUpdateEngagement:
    def test_only_the_owner_changes_it(self, world) -> None:
        made = world.engagement(participants=[world.dege_officer.pk])
        with pytest.raises(Forbidden):
            update_engagement(world.dege_officer, made, {"title": "改"})
        update_engagement(world.jinniu_colleague, made, {"title": "改过的主题"})
        made.refresh_from_db()
        assert made.title == "改过的主题"
        assert list(made.participants.all()) == [world.dege_officer]

    def test_links_the_editor_cannot_see_are_kept(self, world) -> None:
        made = create_engagement(
            world.root,
            {
                "kind": "meeting",
                "held_on": world.today,
                "title": "联合会谈",
                "enterprises": [world.firm.pk],
                "projects": [world.jinniu_project.pk, world.dege_project.pk],
            },
            owner_id=world.jinniu.pk,
        )
        update_engagement(world.jinniu_officer, made, {"projects": [world.jinniu_project.pk]})
        assert set(made.projects.values_list("pk", flat=True)) == {
            world.jinniu_project.pk,
            world.dege_project.pk,
        }


class TestContacts:
    def test_bad_email_named(self, world) -> None:
        with pytest.raises(Invalid) as caught:
            create_contact(
                world.jinniu_officer, {"enterprise": world.firm, "name": "赵", "email": "x@"}
            )
        assert caught.value.detail == {"email": "邮箱格式不正确"}

    def test_another_organisation_cannot_change_it(self, world) -> None:
        with pytest.raises(Forbidden):
            update_contact(world.dege_officer, world.jinniu_contact, {"phone": "1"})
        update_contact(world.jinniu_officer, world.jinniu_contact, {"title": "总经理"})
        world.jinniu_contact.refresh_from_db()
        assert world.jinniu_contact.title == "总经理"
        assert world.jinniu_contact.phone == "13800000001"


class TestFollowUps:
    def test_assignee_is_a_member_or_a_participant(self, world) -> None:
        made = world.engagement(participants=[world.dege_officer.pk])
        due = world.today + timedelta(days=7)
        add_follow_up(
            world.jinniu_officer,
            made,
            {"task": "回复用地", "assignee": world.dege_officer, "due_on": due},
        )
        with pytest.raises(Invalid) as caught:
            add_follow_up(
                world.jinniu_officer,
                made,
                {"task": "寄资料", "assignee": world.zhangye_officer, "due_on": due},
            )
        assert "assignee" in caught.value.detail

    def test_the_assignee_marks_done_but_not_reassigns(self, world) -> None:
        made = world.engagement(participants=[world.dege_officer.pk])
        follow = add_follow_up(
            world.jinniu_officer,
            made,
            {"task": "回复用地", "assignee": world.dege_officer, "due_on": world.today},
        )
        with pytest.raises(Forbidden):
            update_follow_up(world.dege_officer, follow, {"assignee": world.jinniu_officer})
        with pytest.raises(Forbidden):
            update_follow_up(world.zhangye_officer, follow, {"status": "done"})
        update_follow_up(world.dege_officer, follow, {"status": "done", "note": "已回复"})
        follow.refresh_from_db()
        assert follow.status == FollowUpStatus.DONE
        assert follow.done_on is not None and follow.note == "已回复"

    def test_reopening_clears_the_done_date(self, world) -> None:
        made = world.engagement()
        follow = add_follow_up(
            world.jinniu_officer,
            made,
            {"task": "寄资料", "assignee": world.jinniu_officer, "due_on": world.today},
        )
        update_follow_up(world.jinniu_officer, follow, {"status": "done"})
        update_follow_up(world.jinniu_officer, follow, {"status": "open"})
        follow.refresh_from_db()
        assert follow.done_on is None

    def test_done_in_the_future_is_refused(self, world) -> None:
        made = world.engagement()
        follow = add_follow_up(
            world.jinniu_officer,
            made,
            {"task": "寄资料", "assignee": world.jinniu_officer, "due_on": world.today},
        )
        with pytest.raises(Invalid) as caught:
            update_follow_up(
                world.jinniu_officer,
                follow,
                {"status": "done", "done_on": world.today + timedelta(days=2)},
            )
        assert caught.value.detail == {"done_on": "完成日期不能晚于今天"}
