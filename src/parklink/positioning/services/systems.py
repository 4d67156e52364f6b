"""A place's declared industry systems against its report (systems.py does the comparison).

Declared systems are public policy statements: every user reads them; they belong to the
place's report whatever data it was computed from."""

from __future__ import annotations

from dataclasses import dataclass

from parklink.positioning.models import IndustrySystem
from parklink.positioning.recommend import Recommendation
from parklink.positioning.services.report import PlaceReport
from parklink.positioning.systems import Declared, Verdict, compare


@dataclass
class SystemReport:
    system: IndustrySystem
    verdicts: list[Verdict]
    missing: list[Recommendation]


def systems_for(report: PlaceReport) -> list[SystemReport]:
    out: list[SystemReport] = []
    if report.park is not None:
        return out  # systems are declared for regions; a park's report has none
    systems = IndustrySystem.objects.filter(region=report.place).prefetch_related("industries")
    for system in systems:
        declared = [
            Declared(item.name, item.role, tuple(item.code_list()))
            for item in system.industries.all()
        ]
        verdicts, missing = compare(
            declared, report.found, report.placed.matrix.industries, report.placed.digits
        )
        out.append(SystemReport(system, verdicts, missing))
    return out
