"""The pages: ingest by paste and by upload (a background job), the queue, an article, an
item with its highlighted evidence and the reviewer's actions; others get a 404."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from parklink.intel.models import Decision, Document, Item
from parklink.intel.services import ingest_text
from parklink.projects.models import Project
from tests.intel.conftest import ARTICLE, World, client_for

pytestmark = pytest.mark.django_db


def test_paste_an_article_then_review_it_on_its_pages(world: World) -> None:
    client = client_for(world.users["zhangye"])
    form = client.get(reverse("intel:ingest"))
    assert form.status_code == 200 and 'name="text"' in form.content.decode()
    response = client.post(
        reverse("intel:ingest"), {"paste": "1", "text": ARTICLE, "title": "集中签约"}
    )
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "intel:document", args=[document.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "集中签约" in page and "<mark" in page
    assert 'data-figure="found"' in page
    queue = client.get(reverse("intel:queue")).content.decode()
    storage = document.items.get(name__contains="储能电池")
    assert f'data-item="{storage.pk}"' in queue and "约3亿元" in queue
    item_page = client.get(reverse("intel:item", args=[storage.pk])).content.decode()
    assert 'id="item-form"' in item_page and "投资约3亿元" in item_page
    assert '<mark class="pl-evidence">' in item_page
    again = client.post(reverse("intel:ingest"), {"paste": "1", "text": ARTICLE})
    assert again.status_code == 302 and Document.objects.count() == 1


def test_an_empty_paste_is_refused_on_its_field(world: World) -> None:
    client = client_for(world.users["zhangye"])
    response = client.post(reverse("intel:ingest"), {"paste": "1", "text": ""})
    assert response.status_code == 422
    assert "pl-field-error" in response.content.decode()


def test_upload_runs_a_job_that_reports_each_file(world: World) -> None:
    client = client_for(world.users["zhangye"])
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("b.txt", ARTICLE.replace("3月21日", "4月3日").encode("utf-8"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("intel:ingest"),
        {
            "upload": "1",
            "uploads": [
                SimpleUploadedFile("a.txt", ARTICLE.encode("utf-8")),
                SimpleUploadedFile("more.zip", archive.getvalue()),
                SimpleUploadedFile("bad.pdf", b"not a pdf"),
            ],
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="done"' in page
    assert 'id="job-ingested">2<' in page and 'id="job-errors">1<' in page
    assert 'data-file="bad.pdf"' in page
    assert Document.objects.count() == 2
    # another user's job is not found
    other = client_for(world.users["jinniu"])
    assert other.get(response["Location"]).status_code == 404


def test_accept_from_the_item_page_creates_the_lead(world: World) -> None:
    reviewer = world.users["zhangye"]
    document = ingest_text(reviewer, ARTICLE).document
    storage = document.items.get(name__contains="储能电池")
    client = client_for(reviewer)
    response = client.post(
        reverse("intel:item_action", args=[storage.pk]),
        {
            "action": "accept",
            "name": "储能电池组装项目",
            "enterprise": "张掖晨光储能科技有限公司",
            "amount_wan": "30000",
            "qualifier": "about",
            "kind": "total_investment",
            "adcode": "620702",
            "stage": "signed",
            "stage_date": "2025-03-21",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    storage.refresh_from_db()
    project = Project.objects.get(pk=storage.project_id)
    assert project.total_investment_text == "约3亿元"
    assert project.name == "储能电池组装项目"
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "约3亿元" in detail and "投资约3亿元" in detail  # the figure and its cited sentence
    item_page = client.get(reverse("intel:item", args=[storage.pk])).content.decode()
    assert 'id="item-project"' in item_page and 'data-action="accept"' in item_page


def test_reject_without_a_reason_stays_and_with_one_is_recorded(world: World) -> None:
    reviewer = world.users["zhangye"]
    item = ingest_text(reviewer, ARTICLE).document.items.first()
    assert item is not None
    client = client_for(reviewer)
    refused = client.post(
        reverse("intel:item_action", args=[item.pk]), {"action": "reject", "reason": ""}
    )
    assert refused.status_code == 422
    done = client.post(
        reverse("intel:item_action", args=[item.pk]),
        {"action": "reject", "reason": "活动报道,不是项目"},
    )
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.status == "rejected"
    assert Decision.objects.get(item=item).reason == "活动报道,不是项目"
    documents = client.get(reverse("intel:documents")).content.decode()
    assert 'data-figure="rejected">1<' in documents


def test_merge_form_names_a_missing_target(world: World) -> None:
    reviewer = world.users["zhangye"]
    item = ingest_text(reviewer, ARTICLE).document.items.first()
    assert item is not None
    client = client_for(reviewer)
    response = client.post(
        reverse("intel:item_action", args=[item.pk]), {"action": "merge", "into_item": "999999"}
    )
    assert response.status_code == 422
    assert "情报条目不存在" in response.content.decode()


def test_other_organisations_get_a_404_and_a_viewer_no_buttons(world: World) -> None:
    document = ingest_text(world.users["zhangye"], ARTICLE).document
    item = document.items.first()
    assert item is not None
    outsider = client_for(world.users["jinniu"])
    assert outsider.get(reverse("intel:document", args=[document.pk])).status_code == 404
    assert outsider.get(reverse("intel:item", args=[item.pk])).status_code == 404
    assert (
        outsider.post(
            reverse("intel:item_action", args=[item.pk]), {"action": "reject", "reason": "x"}
        ).status_code
        == 404
    )
    assert f'data-item="{item.pk}"' not in outsider.get(reverse("intel:queue")).content.decode()
    assert "pl-empty" in outsider.get(reverse("intel:documents")).content.decode()
    item.refresh_from_db()
    assert item.status == "pending"
    from tests.support import factories

    viewer = factories.user("zhangye_viewer", world.users["zhangye"].organization, role="viewer")
    page = client_for(viewer).get(reverse("intel:item", args=[item.pk])).content.decode()
    assert 'id="item-form"' not in page and 'id="item-fields"' in page
    assert (
        client_for(viewer)
        .post(reverse("intel:ingest"), {"paste": "1", "text": ARTICLE})
        .status_code
        == 403
    )


def test_home_page_card_and_navigation(world: World) -> None:
    reviewer = world.users["zhangye"]
    ingest_text(reviewer, ARTICLE)
    home = client_for(reviewer).get("/").content.decode()
    pending = Item.objects.filter(status="pending").count()
    assert 'id="intel-card"' in home and f'data-figure="pending">{pending}<' in home
    assert reverse("intel:queue") in home
    other_home = client_for(world.users["jinniu"]).get("/").content.decode()
    assert 'id="intel-card"' not in other_home


def test_merge_into_a_suggested_project_in_one_click_and_the_acceptance_rate(
    world: World,
) -> None:
    reviewer = world.users["zhangye"]
    document = ingest_text(reviewer, ARTICLE).document
    silicon = document.items.get(name__contains="17万吨")
    client = client_for(reviewer)
    page = client.get(reverse("intel:item", args=[silicon.pk])).content.decode()
    target = world.projects["silicon"].pk
    assert f'data-merge="project-{target}"' in page
    assert 'id="update-suggestion"' in page and 'id="item-accept-update"' in page
    response = client.post(
        reverse("intel:item_action", args=[silicon.pk]),
        {"action": "merge", "into_project": str(target), "reason": "同一项目"},
    )
    assert response.status_code == 302
    silicon.refresh_from_db()
    assert (silicon.status, silicon.project_id) == ("merged", target)
    other = document.items.exclude(pk=silicon.pk).first()
    assert other is not None
    client.post(
        reverse("intel:item_action", args=[other.pk]), {"action": "reject", "reason": "非项目"}
    )
    documents = client.get(reverse("intel:documents")).content.decode()
    assert 'id="acceptance-rate">50%<' in documents


def test_the_admin_lists_only_the_organisations_rows_and_changes_nothing(world: World) -> None:
    from tests.support import factories

    ingest_text(world.users["zhangye"], ARTICLE)
    ingest_text(world.users["jinniu"], ARTICLE.replace("3月21日", "5月5日"))
    staff = factories.user("zhangye_staff", world.users["zhangye"].organization, is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="intel"))
    client = client_for(staff)
    listing = client.get("/admin/intel/document/").content.decode()
    own = Document.objects.get(owner=world.users["zhangye"].organization)
    theirs = Document.objects.get(owner=world.users["jinniu"].organization)
    assert f"/admin/intel/document/{own.pk}/" in listing
    assert f"/admin/intel/document/{theirs.pk}/" not in listing
    item = Item.objects.filter(document=own).first()
    assert item is not None
    client.post(f"/admin/intel/item/{item.pk}/change/", {"name": "改名", "status": "accepted"})
    item.refresh_from_db()
    assert item.status == "pending" and item.name != "改名"


def test_an_administrator_without_an_organisation_is_told_to_name_one(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world.users["root"])
    pasted = client.post(reverse("intel:ingest"), {"paste": "1", "text": ARTICLE})
    assert pasted.status_code == 422 and "请指定所属机构" in pasted.content.decode()
    uploaded = client.post(
        reverse("intel:ingest"),
        {"upload": "1", "uploads": [SimpleUploadedFile("a.txt", ARTICLE.encode("utf-8"))]},
    )
    assert uploaded.status_code == 422 and "请指定所属机构" in uploaded.content.decode()
    assert not Document.objects.exists()
