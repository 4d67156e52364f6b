"""The kpi demo step: the example schemes, illustrative targets and assessments.

The source articles give no targets and no weights, so every target (kpi_targets.yaml) is
marked 示例数据 and every shipped scheme is marked illustrative. The demo's projects were
entered from articles long after they were signed; the demo takes each as having been on
the monthly ledger since the day it was signed (示例), otherwise the ledger rule (突击上报)
would exclude them all.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone

from parklink.core import demo
from parklink.core.registry import DemoContext
from parklink.kpi import demo_departments, demo_liaison, demo_surveys
from parklink.kpi.engine import periods
from parklink.kpi.models import Assessment, ExchangeRate, SchemeVersion, SubjectKind, Target
from parklink.kpi.services import assess, schemes, targets
from parklink.projects.models import Project

# Which scheme the demo assesses each period with (all illustrative).
ASSESSMENTS = {
    "2025Q1": "city-districts",
    "2024Q4": "county-introduced",
    "2020Q2": "chenzhou-hitech",
}


def _on_ledger_since_signing(org_ids: list[int]) -> None:
    for project in Project.objects.filter(owner_id__in=org_ids, signed_on__isnull=False).only(
        "pk", "signed_on"
    ):
        assert project.signed_on is not None
        moment = timezone.make_aware(datetime.combine(project.signed_on, time(9)))
        Project.objects.filter(pk=project.pk, created_at__gt=moment).update(created_at=moment)


def load(ctx: DemoContext) -> None:
    _load_assessments(ctx)
    demo_surveys.load(ctx)
    demo_liaison.load(ctx)
    demo_departments.load(ctx)


# Illustrative US$ rates (示例数据, not an official rate): the articles give none, and the
# installation ships none; these let the demo show foreign funds in US$ for 2025Q1.
DEMO_RATES = {"2025-01": "7.20", "2025-02": "7.20", "2025-03": "7.20"}


def _load_rates(ctx: DemoContext) -> None:
    for month, rate in DEMO_RATES.items():
        if ExchangeRate.objects.filter(month=month).exists():
            continue
        ExchangeRate.objects.create(
            month=month,
            rate=Decimal(rate),
            source="示例数据:演示用汇率,并非官方公布值",
            illustrative=True,
            entered_by=ctx.admin,
        )
        ctx.count("kpi exchange rates")


def _load_assessments(ctx: DemoContext) -> None:
    _load_rates(ctx)
    for version in schemes.load_shipped():
        if version.version == 1 and version.assessments.count() == 0:
            ctx.count("kpi schemes")
    records = demo.read("kpi_targets")
    by_period: dict[str, list] = {}
    for record in records:
        org = demo.require(ctx, "organizations", record["org"])
        for kind, value in record["targets"].items():
            if Target.objects.filter(
                organization=org,
                subject_kind=SubjectKind.ORGANIZATION,
                period=record["period"],
                kind=kind,
                value=Decimal(str(value)),
            ).exists():
                continue  # loaded before: a second `parklink demo` changes nothing
            targets.set_target(
                ctx.admin,
                org,
                record["period"],
                kind,
                Decimal(str(value)),
                illustrative=True,
                note="示例数据",
            )
            ctx.count("kpi targets")
        by_period.setdefault(record["period"], []).append(org)
    _on_ledger_since_signing([o.pk for orgs in by_period.values() for o in orgs])
    for label, orgs in by_period.items():
        key = ASSESSMENTS[label]
        latest = SchemeVersion.objects.filter(key=key).order_by("-version").first()
        if latest is None:
            continue
        done = set(
            Assessment.objects.filter(scheme=latest, period=label).values_list(
                "organization_id", flat=True
            )
        )
        orgs = [org for org in orgs if org.pk not in done]
        if not orgs:
            continue
        saved = assess.assess(ctx.admin, latest, periods.parse(label), orgs)
        ctx.count("kpi assessments", len(saved))
