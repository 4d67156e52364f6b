"""The import page: upload, row-by-row report that writes nothing, confirmation, templates."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from parklink.accounts.models import Organization, User
from parklink.core import imports
from parklink.core.models import Job
from parklink.enterprises.imports import EnterpriseImporter
from parklink.enterprises.models import Enterprise
from parklink.enterprises.uscc import check_character
from parklink.projects.imports import ProjectImporter
from parklink.projects.models import Project
from parklink.web import import_views
from tests.support.import_files import damaged_xlsx

ENTERPRISE_HEADER = ["企业名称", "统一社会信用代码", "注册地"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def uscc(number: int) -> str:
    first17 = f"91510106MA{number:07d}"
    return first17 + check_character(first17)


def xlsx_bytes(header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "企业名单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


GOOD_ROWS = [
    ["成都金牛智造科技有限公司", uscc(1), "510106"],
    ["四川蓉欧物流有限公司", uscc(2), "成都市金牛区"],
]
BAD_ROWS = [
    ["成都金牛智造科技有限公司", uscc(1), "510106"],
    ["四川蓉欧物流有限公司", uscc(2)[:17] + "X", "510106"],
]


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def login(users: dict[str, User]) -> Callable[[str], Client]:
    def make(key: str) -> Client:
        client = Client()
        client.force_login(users[key])
        return client

    return make


def stored_files(user: User) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "imports" / str(user.pk)
    return sorted(folder.iterdir()) if folder.exists() else []


def validate(
    client: Client,
    data: bytes,
    kind: str = "enterprises",
    name: str = "企业名单.xlsx",
    htmx: bool = True,
) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("import_validate"), {"kind": kind, "file": upload(data, name)}, headers=headers
    )


@pytest.mark.django_db
class TestImportPage:
    def test_officer_sees_the_upload_form(self, login: Callable[[str], Client]) -> None:
        body = login("jinniu").get(reverse("import")).content.decode()
        assert 'id="import-form"' in body
        assert reverse("import_template", args=["projects"]) in body

    def test_viewer_is_told_they_cannot_import(self, login: Callable[[str], Client]) -> None:
        body = login("jinniu_viewer").get(reverse("import")).content.decode()
        assert 'id="import-forbidden"' in body
        assert 'id="import-form"' not in body

    def test_page_has_a_progress_indicator_for_the_requests(
        self, login: Callable[[str], Client]
    ) -> None:
        body = login("jinniu").get(reverse("import")).content.decode()
        assert 'hx-indicator="#import-progress"' in body
        assert 'id="import-progress-bar"' in body

    def test_anonymous_visitor_is_sent_to_login(self) -> None:
        response = Client().get(reverse("import"))
        assert response.status_code == 302


@pytest.mark.django_db
class TestTemplateDownload:
    @pytest.mark.parametrize(
        "kind,importer_class",
        [
            ("enterprises", EnterpriseImporter),
            ("projects", ProjectImporter),
        ],
    )
    def test_template_headers_are_the_importers_columns(
        self,
        login: Callable[[str], Client],
        users: dict[str, User],
        orgs: dict[str, Organization],
        kind: str,
        importer_class: Any,
    ) -> None:
        response = login("jinniu").get(reverse("import_template", args=[kind]))
        assert response["Content-Type"] == XLSX
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
        importer = importer_class(users["jinniu"], orgs["jinniu"])
        importer.load()
        assert header == [column.zh for column in importer.columns()]

    def test_required_columns_are_bold(self, login: Callable[[str], Client]) -> None:
        response = login("jinniu").get(reverse("import_template", args=["enterprises"]))
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        bold = {cell.value for cell in next(sheet.iter_rows(max_row=1)) if cell.font.bold}
        assert bold == {"企业名称", "注册地"}

    def test_downloaded_template_filled_in_validates(
        self, login: Callable[[str], Client], users: dict[str, User]
    ) -> None:
        client = login("jinniu")
        response = client.get(reverse("import_template", args=["enterprises"]))
        book = load_workbook(io.BytesIO(response.content))
        sheet = book.worksheets[0]
        header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
        sheet.append([{"企业名称": GOOD_ROWS[0][0], "注册地": "510106"}.get(h) for h in header])
        buffer = io.BytesIO()
        book.save(buffer)
        result = validate(client, buffer.getvalue())
        assert result.context["report"].ok

    def test_unknown_kind_is_not_found(self, login: Callable[[str], Client]) -> None:
        assert login("jinniu").get(reverse("import_template", args=["parks"])).status_code == 404


@pytest.mark.django_db
class TestValidateStep:
    def test_bad_row_is_reported_with_row_column_value_and_reason(
        self, login: Callable[[str], Client]
    ) -> None:
        response = validate(login("jinniu"), xlsx_bytes(ENTERPRISE_HEADER, BAD_ROWS))
        body = response.content.decode()
        [problem] = response.context["problems"]
        assert (problem.row, problem.column, problem.value) == (
            3,
            "统一社会信用代码",
            BAD_ROWS[1][1],
        )
        assert "校验码错误" in problem.reason
        assert f'data-row="{problem.row}"' in body
        assert BAD_ROWS[1][1] in body

    def test_bad_file_writes_nothing_and_keeps_no_copy(
        self, login: Callable[[str], Client], users: dict[str, User]
    ) -> None:
        before = Enterprise.objects.count()
        response = validate(login("jinniu"), xlsx_bytes(ENTERPRISE_HEADER, BAD_ROWS))
        assert Enterprise.objects.count() == before
        assert response.context["token"] == ""
        assert 'id="import-confirm"' not in response.content.decode()
        assert stored_files(users["jinniu"]) == []

    def test_preview_shows_the_good_rows_with_their_row_numbers(
        self, login: Callable[[str], Client]
    ) -> None:
        response = validate(login("jinniu"), xlsx_bytes(ENTERPRISE_HEADER, BAD_ROWS))
        preview = response.context["preview"]
        assert [row.number for row in preview] == [2]
        assert preview[0].cells[0] == BAD_ROWS[0][0]

    def test_blank_rows_do_not_shift_the_row_numbers(self, login: Callable[[str], Client]) -> None:
        rows: list[list[Any]] = [[None, None, None], *BAD_ROWS]
        response = validate(login("jinniu"), xlsx_bytes(ENTERPRISE_HEADER, rows))
        assert [p.row for p in response.context["problems"]] == [4]
        assert [row.number for row in response.context["preview"]] == [3]

    def test_good_file_is_previewed_and_waits_without_writing(
        self, login: Callable[[str], Client], users: dict[str, User]
    ) -> None:
        response = validate(login("jinniu"), xlsx_bytes(ENTERPRISE_HEADER, GOOD_ROWS))
        body = response.content.decode()
        assert response.context["report"].ok
        assert Enterprise.objects.filter(name=GOOD_ROWS[0][0]).count() == 0
        assert GOOD_ROWS[1][0] in body
        assert 'id="import-confirm"' in body
        [stored] = stored_files(users["jinniu"])
        assert stored.name.startswith(response.context["token"])

    def test_client_file_name_is_never_used_for_the_stored_file(
        self, login: Callable[[str], Client], users: dict[str, User]
    ) -> None:
        validate(login("jinniu"), xlsx_bytes(ENTERPRISE_HEADER, GOOD_ROWS), name="../../evil.xlsx")
        [stored] = stored_files(users["jinniu"])
        assert "evil" not in stored.name
        assert stored.parent == Path(settings.MEDIA_ROOT) / "imports" / str(users["jinniu"].pk)

    def test_reasons_are_in_english_for_english_users(self, login: Callable[[str], Client]) -> None:
        client = login("jinniu")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = validate(client, xlsx_bytes(ENTERPRISE_HEADER, BAD_ROWS))
        [problem] = response.context["problems"]
        assert "check character is wrong" in problem.reason
        assert "Row" in response.content.decode()

    def test_xlsx_name_with_other_content_is_refused(
        self, login: Callable[[str], Client], users: dict[str, User]
    ) -> None:
        response = validate(login("jinniu"), "企业名称,注册地\n某公司,510106\n".encode())
        assert response.status_code == 400
        assert "不是 .xlsx 格式" in response.content.decode()
        assert stored_files(users["jinniu"]) == []

    def test_amounts_and_counts_too_large_to_store_are_reported_not_a_crash(
        self, login: Callable[[str], Client], users: dict[str, User]
    ) -> None:
        rows = [
            ["锂电池正极材料项目", "510106", "99999999999999999999999999亿元", 10],
            ["智能终端生产基地", "510106", 10**13, "99999999999999999999"],
        ]
        data = xlsx_bytes(["项目名称", "落地行政区", "总投资(万元)", "带动就业"], rows)
        response = validate(login("jinniu"), data, kind="projects", name="项目.xlsx")
        assert response.status_code == 200
        found = [(p.row, p.column) for p in response.context["problems"]]
        assert found == [(2, "总投资(万元)"), (3, "总投资(万元)"), (3, "带动就业")]
        assert response.context["token"] == ""
        assert stored_files(users["jinniu"]) == []

    def test_damaged_xlsx_is_reported_and_no_copy_is_kept(
        self, login: Callable[[str], Client], users: dict[str, User], tmp_path: Path
    ) -> None:
        data = damaged_xlsx(tmp_path / "damaged.xlsx", rows=1, keep=0.5).read_bytes()
        response = validate(login("jinniu"), data)
        assert response.status_code == 200
        [problem] = response.context["problems"]
        assert problem.column == "文件" and "损坏" in problem.reason
        assert response.context["token"] == ""
        assert stored_files(users["jinniu"]) == []

    def test_an_unexpected_failure_while_checking_keeps_no_copy_of_the_upload(
        self,
        login: Callable[[str], Client],
        users: dict[str, User],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        def broken(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("the database went away")

        monkeypatch.setattr(import_views, "_check_now", broken)
        with pytest.raises(RuntimeError):
            validate(login("jinniu"), xlsx_bytes(ENTERPRISE_HEADER, GOOD_ROWS))
        assert stored_files(users["jinniu"]) == []

    def test_csv_file_is_accepted(self, login: Callable[[str], Client]) -> None:
        data = "企业名称,注册地\n成都某某科技有限公司,510106\n".encode("utf-8-sig")
        response = validate(login("jinniu"), data, name="list.csv")
        assert response.context["report"].ok

    def test_viewer_cannot_validate_and_nothing_is_stored(
        self, login: Callable[[str], Client], users: dict[str, User]
    ) -> None:
        response = validate(login("jinniu_viewer"), xlsx_bytes(ENTERPRISE_HEADER, GOOD_ROWS))
        assert response.status_code == 403
        assert "只能查看" in response.content.decode()
        assert stored_files(users["jinniu_viewer"]) == []

    def test_missing_file_is_a_form_error(self, login: Callable[[str], Client]) -> None:
        response = login("jinniu").post(
            reverse("import_validate"), {"kind": "enterprises"}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 400
        assert 'id="import-form-errors"' in response.content.decode()

    def test_without_htmx_the_whole_page_shows_the_report(
        self, login: Callable[[str], Client]
    ) -> None:
        response = validate(login("jinniu"), xlsx_bytes(ENTERPRISE_HEADER, BAD_ROWS), htmx=False)
        body = response.content.decode()
        assert 'id="import-form"' in body
        assert 'id="import-problems"' in body


@pytest.mark.django_db
class TestConfirmStep:
    def checked(self, client: Client, rows: Sequence[Sequence[Any]] = GOOD_ROWS) -> str:
        token = validate(client, xlsx_bytes(ENTERPRISE_HEADER, rows)).context["token"]
        assert token
        return str(token)

    def test_confirming_a_good_file_creates_the_records(
        self, login: Callable[[str], Client], orgs: dict[str, Organization]
    ) -> None:
        client = login("jinniu")
        token = self.checked(client)
        response = client.post(
            reverse("import_confirm"), {"token": token}, headers={"HX-Request": "true"}
        )
        assert response.context["report"].created == len(GOOD_ROWS)
        assert 'id="import-created"' in response.content.decode()
        names = set(Enterprise.objects.filter(owner=orgs["jinniu"]).values_list("name", flat=True))
        assert names == {row[0] for row in GOOD_ROWS}

    def test_temporary_file_is_removed_after_confirmation(
        self, login: Callable[[str], Client], users: dict[str, User]
    ) -> None:
        client = login("jinniu")
        token = self.checked(client)
        client.post(reverse("import_confirm"), {"token": token})
        assert stored_files(users["jinniu"]) == []

    def test_a_token_cannot_be_confirmed_twice(self, login: Callable[[str], Client]) -> None:
        client = login("jinniu")
        token = self.checked(client)
        client.post(reverse("import_confirm"), {"token": token})
        again = client.post(reverse("import_confirm"), {"token": token})
        assert again.status_code == 410
        assert Enterprise.objects.count() == len(GOOD_ROWS)

    def test_a_second_confirmation_sent_while_the_first_runs_imports_nothing(
        self,
        login: Callable[[str], Client],
        orgs: dict[str, Organization],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """A double click without htmx, or two tabs: the file is imported once, not twice."""
        client = login("jinniu")
        data = xlsx_bytes(["项目名称", "落地行政区"], [["锂电池正极材料项目", "510106"]])
        token = validate(client, data, kind="projects").context["token"]
        real = imports.run
        second: dict[str, Any] = {}

        def run_while_confirmed_again(*args: Any, **options: Any) -> Any:
            if "sent" not in second:
                second["sent"] = True
                second["response"] = client.post(reverse("import_confirm"), {"token": token})
            return real(*args, **options)

        monkeypatch.setattr(imports, "run", run_while_confirmed_again)
        first = client.post(reverse("import_confirm"), {"token": token})
        assert first.context["report"].created == 1
        assert second["response"].status_code == 410
        assert Project.objects.filter(owner=orgs["jinniu"]).count() == 1

    def test_another_users_token_finds_nothing(self, login: Callable[[str], Client]) -> None:
        token = self.checked(login("jinniu"))
        response = login("qingbaijiang").post(reverse("import_confirm"), {"token": token})
        assert response.status_code == 410
        assert Enterprise.objects.count() == 0

    def test_a_forged_token_is_refused(self, login: Callable[[str], Client]) -> None:
        response = login("jinniu").post(reverse("import_confirm"), {"token": "../../etc/passwd"})
        assert response.status_code == 410

    def test_rows_that_became_duplicates_meanwhile_are_reported_and_nothing_is_written(
        self, login: Callable[[str], Client], orgs: dict[str, Organization]
    ) -> None:
        client = login("jinniu")
        token = self.checked(client)
        Enterprise.objects.create(
            name="另一家公司",
            uscc=GOOD_ROWS[1][1],
            region=orgs["jinniu"].region,
            owner=orgs["jinniu"],
        )
        response = client.post(reverse("import_confirm"), {"token": token})
        assert response.context["rechecked"]
        assert [p.row for p in response.context["problems"]] == [3]
        assert not Enterprise.objects.filter(name=GOOD_ROWS[0][0]).exists()

    def test_cancelling_removes_the_file_and_writes_nothing(
        self, login: Callable[[str], Client], users: dict[str, User]
    ) -> None:
        client = login("jinniu")
        token = self.checked(client)
        client.post(reverse("import_cancel"), {"token": token})
        assert stored_files(users["jinniu"]) == []
        assert Enterprise.objects.count() == 0

    def test_projects_file_is_imported_for_the_users_organisation(
        self, login: Callable[[str], Client], orgs: dict[str, Organization]
    ) -> None:
        client = login("jinniu")
        rows = [
            ["锂电池正极材料项目", "510106", "5.6亿元", "在谈"],
            ["智能终端生产基地", "510106", "35000", "签约"],
        ]
        data = xlsx_bytes(["项目名称", "落地行政区", "总投资(万元)", "阶段"], rows)
        token = validate(client, data, kind="projects").context["token"]
        response = client.post(reverse("import_confirm"), {"token": token})
        assert response.context["report"].created == 2
        created = Project.objects.filter(owner=orgs["jinniu"]).order_by("name")
        assert [p.name for p in created] == sorted(row[0] for row in rows)


@pytest.mark.django_db
class TestInstallationAdminImports:
    def test_admin_without_organisation_imports_for_the_chosen_one(
        self, login: Callable[[str], Client], orgs: dict[str, Organization]
    ) -> None:
        client = login("root")
        page = client.get(reverse("import")).content.decode()
        assert 'name="owner"' in page
        data = xlsx_bytes(ENTERPRISE_HEADER, GOOD_ROWS)
        missing = client.post(
            reverse("import_validate"),
            {"kind": "enterprises", "file": upload(data)},
            headers={"HX-Request": "true"},
        )
        assert missing.status_code == 400  # an organisation must be chosen
        checked = client.post(
            reverse("import_validate"),
            {"kind": "enterprises", "file": upload(data), "owner": orgs["dege"].pk},
            headers={"HX-Request": "true"},
        )
        token = checked.context["token"]
        assert token
        client.post(reverse("import_confirm"), {"token": token}, headers={"HX-Request": "true"})
        owners = set(Enterprise.objects.values_list("owner_id", flat=True))
        assert owners == {orgs["dege"].pk}

    def test_officers_have_no_owner_choice(self, login: Callable[[str], Client]) -> None:
        assert 'name="owner"' not in login("jinniu").get(reverse("import")).content.decode()


@pytest.mark.django_db
class TestLimits:
    def test_file_above_the_size_limit_is_refused_before_a_copy_is_kept(
        self, login: Callable[[str], Client], users: dict[str, User], settings: Any
    ) -> None:
        settings.PARKLINK_IMPORT_MAX_BYTES = 1024
        data = xlsx_bytes(ENTERPRISE_HEADER, GOOD_ROWS)
        response = validate(login("jinniu"), data, name="大名单.xlsx")
        assert response.status_code == 413
        body = response.content.decode()
        assert "大名单.xlsx" in body and "超过1 KB的上限" in body
        assert stored_files(users["jinniu"]) == []

    def test_more_rows_than_a_request_checks_are_checked_by_a_background_job(
        self, login: Callable[[str], Client], users: dict[str, User], settings: Any
    ) -> None:
        settings.PARKLINK_IMPORT_SYNC_MAX_ROWS = 1
        response = validate(login("jinniu"), xlsx_bytes(ENTERPRISE_HEADER, GOOD_ROWS))
        job = response.context["job"]
        assert (job.action, job.status, job.file_name) == ("validate", "done", "企业名单.xlsx")
        assert response.context["report"].ok and response.context["token"]
        assert not Enterprise.objects.exists()
        [stored] = stored_files(users["jinniu"])  # waiting for the confirmation
        assert stored.name.startswith(response.context["token"])

    def test_the_command_line_limit_applies_when_the_page_limit_is_higher(
        self, login: Callable[[str], Client], settings: Any
    ) -> None:
        settings.PARKLINK_IMPORT_MAX_ROWS = 1
        response = validate(login("jinniu"), xlsx_bytes(ENTERPRISE_HEADER, GOOD_ROWS))
        [problem] = response.context["problems"]
        assert "1行的上限" in problem.reason and "parklink import" not in problem.reason


@pytest.mark.django_db
class TestFileNames:
    def test_a_damaged_file_is_named_as_the_user_uploaded_it(
        self, login: Callable[[str], Client], tmp_path: Path
    ) -> None:
        data = damaged_xlsx(tmp_path / "damaged.xlsx", rows=1, keep=0.5).read_bytes()
        response = validate(login("jinniu"), data, name="我的企业.xlsx")
        [problem] = response.context["problems"]
        assert problem.value == "我的企业.xlsx"

    def test_the_confirmation_names_the_users_file_too(
        self, login: Callable[[str], Client], settings: Any
    ) -> None:
        client = login("jinniu")
        response = validate(client, xlsx_bytes(ENTERPRISE_HEADER, GOOD_ROWS), name="名单.xlsx")
        token = response.context["token"]
        settings.PARKLINK_IMPORT_MAX_ROWS = 1  # the file no longer passes when confirmed
        response = client.post(
            reverse("import_confirm"), {"token": token}, headers={"HX-Request": "true"}
        )
        [problem] = response.context["problems"]
        assert problem.value == "名单.xlsx"
        assert not Enterprise.objects.exists()


@pytest.mark.django_db
class TestBackgroundJobs:
    def big(self, client: Client, settings: Any, rows: Sequence[Sequence[Any]] = GOOD_ROWS) -> Any:
        settings.PARKLINK_IMPORT_SYNC_MAX_ROWS = 1
        return validate(client, xlsx_bytes(ENTERPRISE_HEADER, rows))

    def test_a_background_check_lists_every_problem_and_keeps_no_copy(
        self, login: Callable[[str], Client], users: dict[str, User], settings: Any
    ) -> None:
        response = self.big(login("jinniu"), settings, BAD_ROWS)
        assert [p.row for p in response.context["problems"]] == [3]
        assert response.context["token"] == ""
        assert stored_files(users["jinniu"]) == []

    def test_confirming_after_a_background_check_imports_in_a_job(
        self, login: Callable[[str], Client], users: dict[str, User], settings: Any
    ) -> None:
        client = login("jinniu")
        token = self.big(client, settings).context["token"]
        response = client.post(reverse("import_confirm"), {"token": token})
        assert response.context["job"].action == "import"
        assert response.context["report"].created == len(GOOD_ROWS)
        assert Enterprise.objects.count() == len(GOOD_ROWS)
        assert stored_files(users["jinniu"]) == []

    def test_a_running_job_is_polled_with_its_progress(
        self, login: Callable[[str], Client], users: dict[str, User]
    ) -> None:
        job = Job.objects.create(
            kind="enterprises",
            action=Job.Action.IMPORT,
            user=users["jinniu"],
            file_name="名单.xlsx",
            stored_name="claimed-x.enterprises.xlsx",
            status=Job.Status.READING,
            done=500,
        )
        response = login("jinniu").get(reverse("import_job", args=[job.pk]))
        body = response.content.decode()
        assert f'hx-get="{reverse("import_job", args=[job.pk])}"' in body
        assert 'hx-trigger="every 1s"' in body
        assert "500" in body and "名单.xlsx" in body

    def test_a_finished_job_shows_its_outcome(
        self, login: Callable[[str], Client], settings: Any
    ) -> None:
        client = login("jinniu")
        job = self.big(client, settings).context["job"]
        response = client.get(reverse("import_job", args=[job.pk]), headers={"HX-Request": "true"})
        body = response.content.decode()
        assert 'id="import-report"' in body and "hx-trigger" not in body

    def test_another_users_job_is_not_found(
        self, login: Callable[[str], Client], settings: Any
    ) -> None:
        job = self.big(login("jinniu"), settings).context["job"]
        response = login("qingbaijiang").get(reverse("import_job", args=[job.pk]))
        assert response.status_code == 404

    def test_a_viewer_gets_no_job(
        self, login: Callable[[str], Client], users: dict[str, User], settings: Any
    ) -> None:
        response = self.big(login("jinniu_viewer"), settings)
        assert response.status_code == 403
        assert not Job.objects.exists()
        assert stored_files(users["jinniu_viewer"]) == []


DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


class TestDatabaseQueueAndWorker:
    """The production path: the job waits in the database queue until a worker process runs it.

    The worker runs in the test's own connection and transaction, so its habit of closing old
    connections between tasks (right for a process of its own) is switched off here.
    """

    def test_a_confirmed_import_waits_for_the_worker_then_lands_whole(
        self,
        login: Callable[[str], Client],
        users: dict[str, User],
        settings: Any,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        from django.core.management import call_command
        from django_tasks_db.management.commands import db_worker

        monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

        settings.TASKS = DATABASE_QUEUE
        client = login("jinniu")
        token = validate(client, xlsx_bytes(ENTERPRISE_HEADER, GOOD_ROWS)).context["token"]
        response = client.post(reverse("import_confirm"), {"token": token})
        job = response.context["job"]
        assert job.status == Job.Status.QUEUED
        assert Enterprise.objects.count() == 0
        poll = client.get(reverse("import_job", args=[job.pk]))
        assert 'hx-trigger="every 1s"' in poll.content.decode()

        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

        job.refresh_from_db()
        assert job.status == Job.Status.DONE
        assert Enterprise.objects.count() == len(GOOD_ROWS)
        done = client.get(reverse("import_job", args=[job.pk]), headers={"HX-Request": "true"})
        assert 'hx-trigger="every 1s"' not in done.content.decode()
