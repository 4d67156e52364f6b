"""Who sees which targets and assessments, and which organisations an assessor may assess.

An organisation sees and assesses itself and the organisations whose region lies inside its
own (a city its districts and counties); installation administrators see everything. The
pipeline's own rule (`projects.queries.visibility_q`) decides which projects an assessment
reads, so a city's assessment of a county reads only the county's signed projects.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from parklink.accounts.models import Organization, User
from parklink.core.errors import NotFound
from parklink.kpi.models import (
    Assessment,
    Department,
    Finding,
    HelpRequest,
    LiaisonOffice,
    OfficeLead,
    SchemeVersion,
    Survey,
    SurveyRecipient,
    Target,
)


def below_q(org: Organization, prefix: str = "") -> Q:
    """Organisations in `org`'s region or inside it (`prefix`: the path to the organisation)."""
    path = org.region.path
    return Q(**{f"{prefix}region__path": path}) | Q(
        **{f"{prefix}region__path__startswith": path + "/"}
    )


def assessable(user: User) -> QuerySet[Organization]:
    """The organisations `user` may set targets for and assess: its own and those below."""
    qs = Organization.objects.select_related("region")
    if user.is_superuser:
        return qs.all()
    if user.organization is None:
        return qs.none()
    return qs.filter(below_q(user.organization))


def get_assessable(user: User, pk: int) -> Organization:
    org = assessable(user).filter(pk=pk).first()
    if org is None:
        raise NotFound(_("机构不存在或无权查看。"))
    return org


def visible_targets(user: User) -> QuerySet[Target]:
    if user.is_superuser:
        return Target.objects.all()
    if user.organization is None:
        return Target.objects.none()
    return Target.objects.filter(below_q(user.organization, "organization__"))


def visible_assessments(user: User) -> QuerySet[Assessment]:
    """Assessments of the organisations below the user's, and those made of the user's own."""
    if user.is_superuser:
        return Assessment.objects.all()
    org = user.organization
    if org is None:
        return Assessment.objects.none()
    return Assessment.objects.filter(
        Q(assessor=org)
        | Q(organization=org)
        | (below_q(org, "organization__") & below_q(org, "assessor__"))
    )


def visible_schemes(user: User) -> QuerySet[SchemeVersion]:
    """Shipped schemes (no owner) and the user's organisation's own."""
    if user.is_superuser:
        return SchemeVersion.objects.all()
    return SchemeVersion.objects.filter(Q(owner__isnull=True) | Q(owner_id=user.organization_id))


def visible_findings(user: User) -> QuerySet[Finding]:
    from parklink.projects.queries import visible_projects

    return Finding.objects.filter(project__in=visible_projects(user).values("pk"))


def visible_surveys(user: User) -> QuerySet[Survey]:
    """Surveys of the user's organisation and of the organisations below it.

    Answers (orders, workforce, problems) are confidential to the surveying organisation and
    those above it: an organisation outside never reads them.
    """
    if user.is_superuser:
        return Survey.objects.all()
    if user.organization is None:
        return Survey.objects.none()
    return Survey.objects.filter(below_q(user.organization, "owner__"))


def visible_recipients(user: User) -> QuerySet[SurveyRecipient]:
    return SurveyRecipient.objects.filter(survey__in=visible_surveys(user).values("pk"))


def visible_help_requests(user: User) -> QuerySet[HelpRequest]:
    if user.is_superuser:
        return HelpRequest.objects.all()
    if user.organization is None:
        return HelpRequest.objects.none()
    return HelpRequest.objects.filter(below_q(user.organization, "owner__"))


def visible_offices(user: User) -> QuerySet[LiaisonOffice]:
    """Liaison offices of the user's organisation and of those below it."""
    if user.is_superuser:
        return LiaisonOffice.objects.all()
    if user.organization is None:
        return LiaisonOffice.objects.none()
    return LiaisonOffice.objects.filter(below_q(user.organization, "organization__"))


def visible_office_leads(user: User) -> QuerySet[OfficeLead]:
    from parklink.projects.queries import visible_projects

    return OfficeLead.objects.filter(
        office__in=visible_offices(user).values("pk"),
        project__in=visible_projects(user).values("pk"),
    )


def visible_departments(user: User) -> QuerySet[Department]:
    """Departments of the user's organisation and of the organisations below it."""
    if user.is_superuser:
        return Department.objects.all()
    if user.organization is None:
        return Department.objects.none()
    return Department.objects.filter(below_q(user.organization, "organization__"))


SCOPES: dict[str, Any] = {
    "kpi.department": visible_departments,
    "kpi.target": visible_targets,
    "kpi.assessment": visible_assessments,
    "kpi.schemeversion": visible_schemes,
    "kpi.finding": visible_findings,
    "kpi.survey": visible_surveys,
    "kpi.surveyrecipient": visible_recipients,
    "kpi.helprequest": visible_help_requests,
    "kpi.liaisonoffice": visible_offices,
    "kpi.officelead": visible_office_leads,
}
