"""The reconciliation page: a run compared with another of the same period (a superseded run
and its replacement) or with the previous period's confirmed run, every difference per party,
indicator and enterprise explained by cause (`services.reconcile`). An agreement the user may
not see is a 404, like a missing one.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parklink.cobuild.services import overview, reconcile
from parklink.cobuild.views import agreement_or_404
from parklink.cobuild.views_ledger import _run_or_404
from parklink.core.views import authenticated


def _other_id(request: HttpRequest, run_pk: int) -> int | None:
    value = request.GET.get("with", "")
    return int(value) if value.isdigit() and int(value) != run_pk else None


@login_required
def run_reconcile(request: HttpRequest, pk: int, run_pk: int) -> HttpResponse:
    """The run against the chosen one (`?with=ID`; by default the latest other run of the
    period, else the previous period's confirmed run)."""
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    run = _run_or_404(agreement, run_pk)
    choices = reconcile.candidates(run)
    context = {
        "agreement": agreement,
        "run": run,
        "choices": choices,
        "result": None,
    }
    other_id = _other_id(request, run.pk)
    if not choices and other_id is None:
        return render(request, "cobuild/reconcile.html", context)
    other = reconcile.other_run(agreement, run, other_id)
    result = reconcile.reconcile(agreement, run, other)
    totals = result.totals()
    context |= {
        "other": other,
        "result": result,
        "before": result.before,
        "after": result.after,
        "totals": totals,
        "lines": result.lines(),
        "recorded": [
            {
                "label": overview.indicator_label(code),
                "assessment": code in overview.ASSESSMENT_INDICATORS,
                "before": overview.amount_text(before, code),
                "after": overview.amount_text(after, code),
                "difference": reconcile.signed_text(after - before, code),
            }
            for code, (before, after) in sorted(
                result.result.recorded.items(), key=lambda item: reconcile.indicator_order(item[0])
            )
        ],
        "assessment": result.assessment,
        "illustrative": result.before.uses_illustrative_data()
        or result.after.uses_illustrative_data(),
    }
    return render(request, "cobuild/reconcile.html", context)
