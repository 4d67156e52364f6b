"""API of the project library's outputs: the ledger file, a project's brief, the map's points.

Mounted inside the projects router: `/api/v1/projects/export/ledger.xlsx`, `/{id}/brief.pdf`
and `/map/points` (two segments each, so that `/{project_id}` does not take them). Every
answer holds only what the calling user may see.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Query, Router, Schema

from parklink.accounts.apitools import current_user
from parklink.projects import ledger
from parklink.projects.brief import project_brief
from parklink.projects.map import as_json, map_data
from parklink.projects.queries import ProjectFilters, today
from parklink.projects.schemas import ProjectQuery

router = Router(tags=["projects"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LedgerQuery(ProjectQuery):
    columns: str | None = None  # column keys in order, comma-separated
    unit: str = "万元"
    by_stage: bool = False


def _filters(query: ProjectQuery) -> ProjectFilters:
    wanted = query.model_dump(exclude={"limit", "offset", "columns", "unit", "by_stage"})
    wanted["stage"] = [str(stage) for stage in wanted["stage"]]
    return ProjectFilters(**wanted)


@router.get(
    "/export/ledger.xlsx",
    summary="The project ledger (项目台账) as .xlsx",
    description="The visible projects under the list's filters; `columns` picks and orders the "
    "columns (keys as in `parklink export project-ledger --help`), `unit` is 万元 or 元, "
    "`by_stage` puts each stage group on its own sheet.",
    response={200: None},
)
def ledger_file(request: HttpRequest, query: Query[LedgerQuery]) -> HttpResponse:
    user = current_user(request)
    options = ledger.options_from(
        {"columns": query.columns, "unit": query.unit, "by_stage": query.by_stage}
    )
    options = ledger.LedgerOptions(options.columns, options.unit, options.by_stage, today())
    response = HttpResponse(ledger.export_ledger(user, _filters(query), options), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"项目台账-{today():%Y%m%d}.xlsx"
    )
    return response


@router.get(
    "/{int:project_id}/brief.pdf",
    summary="A project's one-page brief (项目简报) as PDF",
    response={200: None},
)
def brief_file(request: HttpRequest, project_id: int) -> HttpResponse:
    project, content = project_brief(current_user(request), project_id)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"项目简报-{project.pk}-{today():%Y%m%d}.pdf"
    )
    return response


class MapQuery(ProjectQuery):
    parks: bool = True


class MapPoint(Schema):
    kind: str
    id: int
    name: str
    longitude: float
    latitude: float
    source: str
    series: str
    url: str


class MapOut(Schema):
    points: list[MapPoint]
    unplaced: dict[str, int]
    frame: dict[str, float]


@router.get(
    "/map/points", response=MapOut, summary="Parks and projects with coordinates, for a map"
)
def map_points(request: HttpRequest, query: Query[MapQuery]) -> dict[str, Any]:
    wanted = query.model_dump(exclude={"limit", "offset", "parks"})
    wanted["stage"] = [str(stage) for stage in wanted["stage"]]
    return as_json(map_data(current_user(request), ProjectFilters(**wanted), parks=query.parks))
