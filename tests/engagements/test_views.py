"""The engagements pages: record with a first follow-up, the who-met box, filters, my
follow-ups, contacts, a project's and an enterprise's sections."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from parklink.engagements.models import Engagement, FollowUp, FollowUpStatus
from parklink.engagements.services import add_follow_up


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_record_with_a_follow_up(world) -> None:
    client = _client(world.jinniu_officer)
    form = client.get(f"/engagements/new/?enterprise={world.firm.pk}")
    assert form.status_code == 200
    answer = client.post(
        "/engagements/new/",
        {
            "kind": "visit_in",
            "held_on": world.today.isoformat(),
            "title": "接待示例科技考察团",
            "enterprises": [world.firm.pk],
            "contacts": [world.jinniu_contact.pk],
            "requests": "人才公寓",
            "task": "提供人才公寓政策",
            "assignee": world.jinniu_colleague.pk,
            "due_on": (world.today + timedelta(days=5)).isoformat(),
        },
    )
    made = Engagement.objects.get(title="接待示例科技考察团")
    assert answer.status_code == 302 and answer["Location"] == f"/engagements/{made.pk}/"
    follow = made.follow_ups.get()
    assert follow.assignee == world.jinniu_colleague and follow.status == FollowUpStatus.OPEN
    mine = _client(world.jinniu_colleague).get("/engagements/follow-ups/").content.decode()
    assert "提供人才公寓政策" in mine and "接待示例科技考察团" in mine


def test_half_a_follow_up_is_named_and_nothing_saved(world) -> None:
    answer = _client(world.jinniu_officer).post(
        "/engagements/new/",
        {
            "kind": "call",
            "held_on": world.today.isoformat(),
            "title": "电话",
            "enterprises": [world.firm.pk],
            "task": "回电",
        },
    )
    assert answer.status_code == 422
    assert "事项、负责人和期限都要填" in answer.content.decode()
    assert not Engagement.objects.filter(title="电话").exists()


def test_service_refusal_lands_on_the_form(world) -> None:
    answer = _client(world.jinniu_officer).post(
        "/engagements/new/",
        {"kind": "call", "held_on": world.today.isoformat(), "title": "电话"},
    )
    assert answer.status_code == 422
    assert "请至少选择一家对接企业" in answer.content.decode()


def test_viewer_gets_the_forbidden_page(world) -> None:
    assert _client(world.jinniu_viewer).get("/engagements/new/").status_code == 403


def test_the_form_says_who_met_the_enterprise(world) -> None:
    world.engagement(by=world.dege_officer, kind="aftercare", title="德格回访")
    box = _client(world.jinniu_officer).get(
        f"/engagements/who-met/?enterprises={world.firm.pk}", HTTP_HX_REQUEST="true"
    )
    html = box.content.decode()
    assert "德格县人民政府" in html and "安商稳商走访" in html and "德格回访" not in html
    form = _client(world.jinniu_officer).get(f"/engagements/new/?enterprise={world.firm.pk}")
    assert "其他机构的接触" in form.content.decode()


def test_list_filters(world) -> None:
    world.engagement(title="甲", kind="call", held_on=world.today - timedelta(days=40))
    world.engagement(title="乙", kind="meeting", held_on=world.today - timedelta(days=2))
    client = _client(world.jinniu_officer)

    def titles(query: str) -> list[str]:
        html = client.get("/engagements/?" + query).content.decode()
        return [t for t in ("甲", "乙") if f">{t}</a>" in html]

    assert titles("") == ["甲", "乙"] or titles("") == ["乙", "甲"]
    assert titles("kind=call") == ["甲"]
    assert titles(f"since={(world.today - timedelta(days=10)).isoformat()}") == ["乙"]
    assert titles(f"enterprise={world.other_firm.name}") == []
    assert titles(f"owner={world.jinniu.pk}&q=乙") == ["乙"]
    bad = client.get(f"/engagements/?since={world.today}&until={world.today - timedelta(days=1)}")
    assert "结束日期不能早于开始日期" in bad.content.decode()


def test_mark_done_from_my_follow_ups(world) -> None:
    made = world.engagement()
    follow = add_follow_up(
        world.jinniu_officer,
        made,
        {
            "task": "寄资料",
            "assignee": world.jinniu_officer,
            "due_on": world.today - timedelta(days=1),
        },
    )
    client = _client(world.jinniu_officer)
    page = client.get("/engagements/follow-ups/").content.decode()
    assert 'data-due="overdue"' in page
    answer = client.post(
        f"/engagements/follow-ups/{follow.pk}/",
        {"status": "done", "note": "已寄出", "next": "/engagements/follow-ups/"},
    )
    assert answer["Location"] == "/engagements/follow-ups/"
    follow.refresh_from_db()
    assert follow.status == FollowUpStatus.DONE and follow.note == "已寄出"
    assert "寄资料" not in client.get("/engagements/follow-ups/").content.decode()


def test_open_redirect_refused(world) -> None:
    made = world.engagement()
    follow = add_follow_up(
        world.jinniu_officer,
        made,
        {"task": "t", "assignee": world.jinniu_officer, "due_on": world.today},
    )
    answer = _client(world.jinniu_officer).post(
        f"/engagements/follow-ups/{follow.pk}/", {"status": "done", "next": "//evil.example/"}
    )
    assert answer["Location"].startswith(f"/engagements/{made.pk}/")


def test_add_follow_up_on_the_detail_page(world) -> None:
    made = world.engagement(participants=[world.dege_officer.pk])
    client = _client(world.jinniu_officer)
    client.post(
        f"/engagements/{made.pk}/follow-ups/",
        {"task": "协调用地", "assignee": world.dege_officer.pk, "due_on": world.today.isoformat()},
    )
    assert FollowUp.objects.get(task="协调用地").assignee == world.dege_officer
    html = client.get(f"/engagements/{made.pk}/").content.decode()
    assert "协调用地" in html and 'data-due="today"' in html


def test_event_page_lists_signed_projects_and_the_count(world) -> None:
    event = world.engagement(
        kind="signing",
        title="集中签约",
        enterprises=[],
        signed_projects=[world.jinniu_project.pk],
        signed_count=15,
    )
    html = _client(world.jinniu_officer).get(f"/engagements/{event.pk}/").content.decode()
    assert "金牛扩产项目" in html and "共签约 15 个项目" in html and "库中已关联 1 个" in html


def test_edit_and_delete(world) -> None:
    made = world.engagement()
    client = _client(world.jinniu_officer)
    form = client.get(f"/engagements/{made.pk}/edit/")
    assert form.status_code == 200 and "拜访示例科技" in form.content.decode()
    client.post(
        f"/engagements/{made.pk}/edit/",
        {
            "kind": "meeting",
            "held_on": world.today.isoformat(),
            "title": "改为会谈",
            "enterprises": [world.firm.pk],
        },
    )
    made.refresh_from_db()
    assert made.kind == "meeting" and made.title == "改为会谈"
    client.post(f"/engagements/{made.pk}/delete/")
    assert not Engagement.objects.filter(pk=made.pk).exists()


def test_contact_pages(world) -> None:
    client = _client(world.jinniu_officer)
    answer = client.post(
        "/engagements/contacts/new/",
        {"enterprise": world.firm.pk, "name": "周总", "email": "zhou@example.org"},
    )
    assert answer.status_code == 302
    bad = client.post(
        "/engagements/contacts/new/", {"enterprise": world.firm.pk, "name": "吴", "email": "wu@"}
    )
    assert bad.status_code == 422 and "邮箱格式不正确" in bad.content.decode()
    assert "周总" in client.get("/engagements/contacts/?q=示例科技").content.decode()
    viewer = _client(world.jinniu_viewer).get("/engagements/contacts/").content.decode()
    assert "周总" not in viewer and "仅向本机构的专员和管理员显示" in viewer


def test_project_panel_lists_its_engagements(world) -> None:
    from django.test import RequestFactory

    from parklink.core.registry import registry

    world.engagement(projects=[world.jinniu_project.pk], title="谈扩产")
    request = RequestFactory().get("/")
    request.user = world.jinniu_officer
    panel = next(p for p in registry.panels_for("projects.project") if p.key == "engagements")
    context = panel.context(request, world.jinniu_project)
    assert [e.title for e in context["records"]] == ["谈扩产"]
    request.user = world.dege_officer
    assert panel.context(request, world.jinniu_project)["records"] == []
