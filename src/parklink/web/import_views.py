"""Import page: upload, check every row (writing nothing), then confirm an all-or-nothing import."""

from __future__ import annotations

import io
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parklink.accounts.models import Organization, User
from parklink.core import xlsx
from parklink.core.errors import ParkLinkError
from parklink.core.imports import (
    Importer,
    ImportReport,
    Problem,
    import_limits,
    needs_background,
    shorten,
)
from parklink.core.jobs import start, upload_folder
from parklink.core.models import Job
from parklink.core.registry import TabularKind, registry
from parklink.core.tabular import TableError, check_size, detect_format

# Uploads waiting for confirmation older than this are removed on the user's next upload.
STALE_AFTER_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_XLSX_MAGIC = b"PK\x03\x04"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def kinds() -> dict[str, TabularKind]:
    """The kinds the page imports: every registered importable kind that needs no more than a
    file and an owner (a kind with `import_arguments` is imported with `parklink import`)."""
    return {kind.code: kind for kind in registry.importable_on_page()}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("导入类型"), widget=forms.RadioSelect)
    file = forms.FileField(
        label=gettext_lazy("文件"),
        help_text=gettext_lazy("Excel (.xlsx) 或 CSV (.csv),第一行为表头"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    owner = forms.ModelChoiceField(
        label=gettext_lazy("导入到机构"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=gettext_lazy("安装管理员代某个机构导入"),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(k.code, k.label) for k in kinds().values()]
        kind.initial = next(iter(kinds()), None)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        if user is not None and user.is_superuser:
            # An installation administrator imports for an organisation; their own by default.
            owner.queryset = Organization.objects.order_by("name")
            owner.required = user.organization_id is None
            owner.initial = user.organization_id
        else:
            del self.fields["owner"]


@dataclass(frozen=True)
class PreviewRow:
    number: int
    cells: list[str]


@dataclass(frozen=True)
class ProblemLine:
    """A problem as the report table shows it, with the reason in the user's language."""

    row: int
    column: str
    value: str
    reason: str


# Temporary storage of uploads between the two steps --------------------------------------------


def _user_dir(user: User) -> Path:
    return upload_folder(user.pk)


def _remove_stale(folder: Path) -> None:
    if not folder.is_dir():
        return
    limit = time.time() - STALE_AFTER_SECONDS
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def _sniff_format(upload: UploadedFile) -> str:
    """xlsx or csv: the client's file name only picks between the two, the content must agree."""
    fmt = detect_format(upload.name or "")
    head = upload.read(4)
    upload.seek(0)
    if fmt == "xlsx" and head != _XLSX_MAGIC:
        raise TableError(
            "文件内容不是 .xlsx 格式,请在 Excel 中另存为 .xlsx",
            "the file is not really .xlsx; save it as .xlsx from Excel",
        )
    return fmt


def store_upload(user: User, kind: str, fmt: str, upload: UploadedFile) -> Path:
    """Keep the upload under a random name (its token) in the user's own folder."""
    folder = _user_dir(user)
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale(folder)
    token = secrets.token_hex(16)
    path = folder / f"{token}.{kind}.{fmt}"
    with path.open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return path


def find_upload(user: User, token: str) -> tuple[Path, TabularKind, str] | None:
    """The stored file of `token` in the user's folder, its kind and format, or None."""
    if not _TOKEN.match(token or ""):
        return None
    for kind in kinds().values():
        for fmt in ("xlsx", "csv"):
            path = _user_dir(user) / f"{token}.{kind.code}.{fmt}"
            if path.is_file():
                return path, kind, fmt
    return None


def claim_upload(user: User, token: str) -> tuple[Path, TabularKind, str] | None:
    """Take the stored file of `token` for one confirmation, or None when it is gone.

    The file is renamed first (atomic), so a second confirmation sent meanwhile (a double
    click, another tab) finds nothing instead of importing the same rows again.
    """
    found = find_upload(user, token)
    if found is None:
        return None
    path, kind, fmt = found
    claimed = path.with_name(f"claimed-{path.name}")  # same suffix: openpyxl reads by it
    try:
        path.rename(claimed)
    except FileNotFoundError:
        return None
    return claimed, kind, fmt


# Presenting reports ----------------------------------------------------------------------------


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _problem_lines(problems: list[Problem]) -> list[ProblemLine]:
    lang = "en" if _english() else "zh"
    return [ProblemLine(p.row, p.column or "—", p.value, p.reason(lang)) for p in problems]


def _file_error(name: str, error: TableError) -> str:
    """A refused file, named as the user knows it, with the reason in their language."""
    reason = error.message_en if _english() else error.message_zh
    return _("文件“%(name)s”无法导入:%(reason)s") % {"name": shorten(name), "reason": reason}


def _error_text(error: ParkLinkError | TableError) -> str:
    """A service or file error in the user's language (services carry both)."""
    if isinstance(error, TableError):
        return error.message_en if _english() else error.message_zh
    if _english():
        english = getattr(error, "message_en", None)
        if english is None and isinstance(error.detail, dict):
            english = error.detail.get("en")
        if english:
            return str(english)
    return error.message


def _good_preview(report: ImportReport) -> list[PreviewRow]:
    """The report's preview rows without problems, numbered as in the spreadsheet."""
    bad = {problem.row for problem in report.problems}
    return [
        PreviewRow(number, [row.get(column, "") for column in report.columns])
        for number, row in zip(report.preview_rows, report.preview, strict=False)
        if number not in bad
    ]


def _report_context(report: ImportReport, kind: TabularKind) -> dict[str, Any]:
    bad_rows = {p.row for p in report.problems if p.row}
    return {
        "report": report,
        "preview": _good_preview(report),
        "kind": kind,
        "problems": _problem_lines(report.problems),
        "problem_count": len(report.problems),
        "shown_problems": len(report.problems),
        "bad_rows": len(bad_rows),
        "good_rows": max(report.rows_read - len(bad_rows), 0),
    }


def _page(
    request: HttpRequest, partial: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The partial alone for htmx, or the whole page with the partial in it."""
    if getattr(request, "htmx", False):
        return render(request, partial, context, status=status)
    form = UploadForm(user=_user(request))
    page = {"form": form, "kinds": kinds().values(), "result_template": partial, **context}
    return render(request, "web/import.html", page, status=status)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


# Views -----------------------------------------------------------------------------------------


@login_required
@require_GET
def import_page(request: HttpRequest) -> HttpResponse:
    form = UploadForm(user=_user(request))
    return render(request, "web/import.html", {"form": form, "kinds": kinds().values()})


def _check_now(
    user: User, kind: TabularKind, path: Path, fmt: str, name: str, owner: Organization | None
) -> ImportReport:
    """Check a file of at most PARKLINK_IMPORT_SYNC_MAX_ROWS rows within the request."""
    from parklink.core import imports

    assert kind.importer is not None
    importer: Importer = kind.importer(user, owner)
    return imports.validate(importer, path, fmt, name, import_limits())


def _job_page(request: HttpRequest, job: Job) -> HttpResponse:
    """A job's progress (polled while it runs), then its outcome."""
    kind = kinds().get(job.kind)
    if kind is None:
        raise Http404(job.kind)
    context: dict[str, Any] = {"job": job, "kind": kind}
    if not job.finished:
        return _page(request, "web/partials/import_job.html", context)
    if "error" in job.result:
        english = _english()
        context["message"] = job.result["error"]["en" if english else "zh"]
        return _page(request, "web/partials/import_error.html", context, 200)
    report = ImportReport.from_json(job.result)
    context |= _report_context(report, kind) | {"filename": job.file_name}
    context["problem_count"] = job.result.get("problem_count", len(report.problems))
    if job.action == Job.Action.IMPORT:
        if report.written:
            return _page(request, "web/partials/import_done.html", context)
        return _page(request, "web/partials/import_report.html", context | {"rechecked": True})
    context["token"] = job.stored_name.split(".")[0] if report.ok else ""
    return _page(request, "web/partials/import_report.html", context)


@login_required
@require_POST
def import_validate(request: HttpRequest) -> HttpResponse:
    """Step 1: check the uploaded file; nothing is written, the file waits for confirmation.

    A file longer than one request checks is checked by a background job the page polls.
    """
    user = _user(request)
    form = UploadForm(request.POST, request.FILES, user=user)
    if not form.is_valid():
        return _page(request, "web/partials/import_form_errors.html", {"form": form}, 400)
    kind = kinds()[form.cleaned_data["kind"]]
    upload: UploadedFile = form.cleaned_data["file"]
    name = Path(upload.name or "").name
    try:
        check_size(upload.size or 0, import_limits())  # before a copy is kept
    except TableError as error:
        context = {"message": _file_error(name, error)}
        return _page(request, "web/partials/import_error.html", context, 413)
    path: Path | None = None
    owner: Organization | None = form.cleaned_data.get("owner")
    try:
        fmt = _sniff_format(upload)
        path = store_upload(user, kind.code, fmt, upload)
        if needs_background(path, fmt):
            assert kind.importer is not None
            kind.importer(user, owner).authorize()  # a refusal before any job is queued
            _remember(request, path, name, owner)
            job = Job.objects.create(
                kind=kind.code, action=Job.Action.VALIDATE, user=user, owner=owner,
                file_name=name, stored_name=path.name,
            )  # fmt: skip
            return _job_page(request, start(job))
        report = _check_now(user, kind, path, fmt, name, owner)
    except (ParkLinkError, TableError) as error:
        if path is not None:
            path.unlink(missing_ok=True)
        status = error.status if isinstance(error, ParkLinkError) else 400
        context = {"message": _error_text(error)}
        return _page(request, "web/partials/import_error.html", context, status)
    except BaseException:
        if path is not None:  # no confirmation will ever come for this upload
            path.unlink(missing_ok=True)
        raise
    context = _report_context(report, kind) | {"filename": upload.name}
    context["token"] = path.name.split(".")[0] if report.ok else ""
    if report.ok:
        _remember(request, path, name, owner)
    else:
        # Nothing can be confirmed: keep no copy of a file that cannot be imported.
        path.unlink(missing_ok=True)
    return _page(request, "web/partials/import_report.html", context)


def _remember(request: HttpRequest, path: Path, name: str, owner: Organization | None) -> None:
    """The user's file name and the chosen owner travel server-side to the confirmation."""
    token = path.name.split(".")[0]
    request.session[f"import-name-{token}"] = name
    if owner is not None:  # kept server-side, so the confirmation cannot name another one
        request.session[f"import-owner-{token}"] = owner.pk


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: import the checked file all-or-nothing in a background job, then delete it."""
    user = _user(request)
    token = request.POST.get("token", "")
    found = claim_upload(user, token)
    if found is None:
        message = _("待导入的文件已失效,请重新上传。")
        return _page(request, "web/partials/import_error.html", {"message": message}, 410)
    path, kind, _fmt = found
    owner_id = request.session.pop(f"import-owner-{token}", None)
    name = request.session.pop(f"import-name-{token}", None) or path.name
    owner = Organization.objects.filter(pk=owner_id).first() if owner_id else None
    job = Job.objects.create(
        kind=kind.code, action=Job.Action.IMPORT, user=user, owner=owner,
        file_name=name, stored_name=path.name,
    )  # fmt: skip
    return _job_page(request, start(job))


@login_required
@require_GET
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """A job's progress or outcome; another user's job is not found."""
    job = Job.objects.filter(pk=job_id, user=_user(request)).first()
    if job is None:
        raise Http404(job_id)
    return _job_page(request, job)


@login_required
@require_POST
def import_cancel(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    found = find_upload(_user(request), token)
    if found is not None:
        found[0].unlink(missing_ok=True)
        request.session.pop(f"import-name-{token}", None)
    return _page(request, "web/partials/import_cancelled.html", {})


@login_required
@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """An empty .xlsx with the headers the importer expects, built from its column specs."""
    spec = kinds().get(kind)
    if spec is None or spec.importer is None:
        raise Http404(kind)
    user = _user(request)
    # The headers do not depend on the organisation; an admin without one still gets them.
    owner = user.organization or Organization.objects.order_by("pk").first()
    importer: Importer = spec.importer(user, cast(Organization, owner))
    importer.load()
    body = template_workbook(importer, str(spec.label))
    response = HttpResponse(body, content_type=XLSX_TYPE)
    filename = f"parklink-{spec.code}-template.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def template_workbook(importer: Importer, title: str) -> bytes:
    """Sheet 1: the Chinese headers (required ones bold); sheet 2: what each column takes."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    notes = book.create_sheet(_("说明"))
    xlsx.append(notes, [_("列名"), _("必填"), _("英文列名"), _("也可写作")])
    required_fill = PatternFill("solid", fgColor="FDE9D9")
    header = []
    for index, column in enumerate(importer.columns(), start=1):
        cell = xlsx.cell(sheet, column.zh)
        cell.font = Font(bold=column.required)
        if column.required:
            cell.fill = required_fill
            cell.comment = Comment(_("必填"), "ParkLink")
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column.zh) * 2 + 4)
        header.append(cell)
        aliases = "、".join(column.aliases)
        xlsx.append(notes, [column.zh, _("是") if column.required else "", column.en, aliases])
    xlsx.append(sheet, header)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCD", (22, 8, 24, 60), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
