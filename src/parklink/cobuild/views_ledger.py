"""Co-built park pages of the ledger: a party imports its figures of a period, an officer
settles a period (a draft run), each party confirms it, and each party's statement is read
on the page or downloaded. Assessment figures (产值, 增加值, 固投) carry their label.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parklink.cobuild import exports
from parklink.cobuild.forms import RecordImportForm, RunForm
from parklink.cobuild.imports import RecordImporter
from parklink.cobuild.models import Agreement, Allocation, Confirmation, Run, RunStatus
from parklink.cobuild.queries import party_of
from parklink.cobuild.services import access, confirmations, overview, runs, statements
from parklink.cobuild.views import agreement_or_404, rights
from parklink.cobuild.views_charts import share_chart
from parklink.core import imports as core_imports
from parklink.core.errors import Conflict, Forbidden, NotFound, ParkLinkError
from parklink.core.tabular import TableError, check_size, detect_format
from parklink.core.views import INVALID, authenticated

ALLOCATIONS_PAGE = 50


def error_text(error: ParkLinkError | TableError) -> str:
    """A refusal in the user's language (services carry the English in `detail["en"]`)."""
    if isinstance(error, TableError):
        return error.message_en if overview.english() else error.message_zh
    if overview.english() and isinstance(error.detail, dict) and error.detail.get("en"):
        return str(error.detail["en"])
    return error.message


# ---------------------------------------------------------------- records import


@login_required
def records_import(request: HttpRequest, pk: int) -> HttpResponse:
    """A party's figures of a period from .xlsx/.csv: every row checked, all written or none."""
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    party = access.party_officer(user, agreement)  # 403: only a party's officers report
    form = RecordImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"agreement": agreement, "party": party, "form": form}
    status = 200
    if request.method == "POST":
        status = INVALID
        if form.is_valid():
            report = _import(user, agreement, form)
            if report is not None:
                context |= _report_context(report)
                if report.written:
                    status = 200
                    messages.success(
                        request,
                        _("已导入 %(count)d 条%(period)s数据。")
                        % {"count": report.created, "period": form.cleaned_data["period"]},
                    )
    return render(request, "cobuild/records_import.html", context, status=status)


def _import(user: Any, agreement: Agreement, form: RecordImportForm) -> Any:
    upload = form.cleaned_data["file"]
    name = Path(upload.name or "").name
    importer = RecordImporter(
        user,
        user.organization,
        agreement_id=agreement.pk,
        period_label=form.cleaned_data["period"],
        replace=form.cleaned_data["replace"],
    )
    try:
        check_size(upload.size or 0, core_imports.import_limits())
        return core_imports.run(importer, upload, detect_format(name), name=name)
    except TableError as error:
        form.add_error("file", error_text(error))
    except Conflict as error:
        if isinstance(error.detail, dict) and "period" in error.detail and "en" in error.detail:
            form.add_error(
                "replace",
                _("%(period)s 已结算确认;如确需替换数据,请勾选“替换已结算确认的数据”。")
                % {"period": error.detail["period"]},
            )
        else:
            form.add_error(None, error_text(error))
    except (Forbidden, NotFound):
        raise
    except ParkLinkError as error:
        target = "period" if isinstance(error.detail, dict) and "period" in error.detail else None
        form.add_error(target, error_text(error))
    return None


def _report_context(report: core_imports.ImportReport) -> dict[str, Any]:
    lang = "en" if overview.english() else "zh"
    return {
        "report": report,
        "problems": [
            {"row": p.row, "column": p.column or "—", "value": p.value, "reason": p.reason(lang)}
            for p in report.problems
        ],
        "bad_rows": len({p.row for p in report.problems if p.row}),
    }


# ---------------------------------------------------------------- runs


@login_required
def run_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The runs of the agreement, and the form that settles a period (a draft run)."""
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    can = rights(user, agreement)
    form = RunForm(request.POST or None)
    if request.method == "POST":
        access.ensure_officer(user, agreement)
        if form.is_valid():
            try:
                run = runs.run_period(user, agreement, form.cleaned_data["period"])
            except (Forbidden, NotFound):
                raise
            except ParkLinkError as error:
                form.add_error("period", error_text(error))
            else:
                return redirect("cobuild:run", pk=pk, run_pk=run.pk)
    found = list(
        agreement.runs.select_related("version", "created_by")
        .prefetch_related("confirmations")
        .order_by("-period_start", "-id")
    )
    periods = sorted(set(agreement.records.filter(replaced=False).values_list(
        "period_label", flat=True)))  # fmt: skip
    return render(
        request,
        "cobuild/runs.html",
        {
            "agreement": agreement,
            "runs": found,
            "form": form,
            "periods": periods,
            "party_count": len(agreement.parties.all()),
            **can,
        },
        status=INVALID if form.errors else 200,
    )


def _run_or_404(agreement: Agreement, run_pk: int) -> Run:
    run = (
        Run.objects.filter(agreement=agreement, pk=run_pk)
        .select_related("version", "created_by")
        .prefetch_related(
            Prefetch("confirmations", queryset=Confirmation.objects.select_related("user"))
        )
        .first()
    )
    if run is None:
        raise NotFound(_("结算不存在。"), detail={"run": run_pk})
    return run


@login_required
def run_detail(request: HttpRequest, pk: int, run_pk: int) -> HttpResponse:
    """A run: totals per party and indicator, the share chart, each allocation's sentence,
    the figures no rule split, and who has confirmed."""
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    run = _run_or_404(agreement, run_pk)
    totals = overview.run_totals(run)
    allocations = (
        Allocation.objects.filter(run=run)
        .select_related("party__organization", "rule", "record__enterprise", "detail")
        .order_by("position")
    )
    page = Paginator(allocations, ALLOCATIONS_PAGE).get_page(request.GET.get("page"))
    lines = overview.sentences(list(page.object_list), run)
    mine = party_of(user, agreement)
    confirmed = {c.party_id for c in run.confirmations.all()}
    can_confirm = (
        run.status == RunStatus.DRAFT
        and mine is not None
        and mine.pk not in confirmed
        and user.can_write
    )
    indicators = [item.indicator for item in totals]
    return render(
        request,
        "cobuild/run_detail.html",
        {
            "agreement": agreement,
            "run": run,
            "totals": totals,
            "chart": share_chart(totals, overview.amount_text),
            "lines": lines,
            "page": page,
            "unmatched": overview.unmatched(run),
            "confirmations": overview.confirmation_rows(run),
            "my_party": mine,
            "can_confirm": can_confirm,
            "assessment": overview.has_assessment(indicators),
            "illustrative": run.uses_illustrative_data(),
            "parties": list(agreement.parties.all()),
        },
    )


@login_required
@require_POST
def run_confirm(request: HttpRequest, pk: int, run_pk: int) -> HttpResponse:
    """Confirm the run for the user's party; the last party's confirmation makes it binding."""
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    run = _run_or_404(agreement, run_pk)
    try:
        confirmations.confirm(user, run)
    except (Forbidden, NotFound):
        raise
    except ParkLinkError as error:
        messages.error(request, error_text(error))
    else:
        run.refresh_from_db()
        if run.status == RunStatus.CONFIRMED:
            messages.success(request, _("各方均已确认,结算生效。"))
        else:
            messages.success(request, _("已确认;等待其他协议方确认。"))
    return redirect("cobuild:run", pk=pk, run_pk=run_pk)


# ---------------------------------------------------------------- statements


def _statement(request: HttpRequest, pk: int, period: str, party: str) -> statements.Statement:
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    try:
        label = runs.parse_period(period).label
    except ParkLinkError as error:
        raise Http404(period) from error
    run = statements.run_for_statement(agreement, label)
    return statements.statement(agreement, run, statements.find_party(agreement, party))


@login_required
def statement_detail(request: HttpRequest, pk: int, period: str, party: str) -> HttpResponse:
    """One party's statement of a period: totals by indicator and by enterprise."""
    found = _statement(request, pk, period, party)
    for row in found.by_indicator:
        row["text"] = overview.amount_text(row["amount"], row["indicator"])
        row["assessment"] = row["indicator"] in overview.ASSESSMENT_INDICATORS
    for row in found.by_enterprise:
        row["text"] = overview.amount_text(row["amount"], row["indicator"])
        row["label"] = overview.indicator_label(row["indicator"])
        row["assessment"] = row["indicator"] in overview.ASSESSMENT_INDICATORS
    page = Paginator(found.by_enterprise, 100).get_page(request.GET.get("page"))
    two_views = [
        {
            "indicator": code,
            "label": overview.indicator_label(code),
            "in_place": overview.amount_text(in_place, code),
            "split": overview.amount_text(split, code),
            "difference": overview.amount_text(difference, code),
            "assessment": assessment,
        }
        for code, in_place, split, difference, assessment in exports.party_views(found)
    ]
    return render(
        request,
        "cobuild/statement.html",
        {
            "agreement": found.agreement,
            "statement": found,
            "run": found.run,
            "party": found.party,
            "parties": list(found.agreement.parties.all()),
            "by_enterprise": list(page.object_list),
            "page": page,
            "assessment": overview.has_assessment(r["indicator"] for r in found.by_indicator),
            "illustrative": found.run.uses_illustrative_data(),
            "two_views": two_views,
        },
    )


@login_required
def statement_download(
    request: HttpRequest, pk: int, period: str, party: str, fmt: str
) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404(fmt)
    found = _statement(request, pk, period, party)
    response = HttpResponse(exports.render(found, fmt), content_type=exports.CONTENT_TYPES[fmt])
    name = f"statement-{found.agreement.pk}-{found.run.period_label}-{found.party.key}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
