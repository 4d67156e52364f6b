"""Whom an assessment scores: organisations, or one organisation's departments, task forces,
persons (its projects' leaders) or liaison offices and resident teams.

Each subject kind has its own grouping of the pipeline (`actuals.Grouping`) and its own
targets; the visibility rule is the same for all: the acting user's view of the projects, signed
ones only, so a city scoring a county's departments reads only the county's signed projects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from parklink.accounts.models import Organization, User
from parklink.core.errors import Invalid
from parklink.kpi.engine.periods import Period
from parklink.kpi.models import Department, LiaisonOffice, SubjectKind, Target
from parklink.kpi.queries import assessable
from parklink.kpi.services import actuals
from parklink.projects.models import Project
from parklink.projects.queries import visibility_q

KINDS = tuple(SubjectKind.values)


@dataclass(frozen=True)
class Subject:
    kind: str
    key: Any  # organisation id, task force name, user id, department id or office id
    organization: Organization
    name: str

    @property
    def key_text(self) -> str:
        """How an assessment stores the key: blank for an organisation itself."""
        return "" if self.kind == SubjectKind.ORGANIZATION else str(self.key)

    @property
    def label(self) -> str:
        if self.kind == SubjectKind.ORGANIZATION:
            return self.name
        return f"{self.organization.name} · {self.name}"


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise Invalid.on(
            "subject",
            _("未知的考核对象类型:%(kind)s(可选 %(kinds)s)")
            % {"kind": kind, "kinds": "、".join(KINDS)},
        )
    return kind


def _home(user: User, org: Organization | None) -> Organization:
    """The organisation whose subjects are scored: the one named, else the user's own."""
    chosen = org or user.organization
    if chosen is None:
        raise Invalid.on("organization", _("请指定机构"))
    if not assessable(user).filter(pk=chosen.pk).exists():
        raise Invalid.on("organization", _("无权考核:%(names)s") % {"names": chosen.name})
    return chosen


def subjects_of(user: User, kind: str, org: Organization | None = None) -> list[Subject]:
    """The subjects of `kind` the user may assess (of `org`, or of the user's organisation).

    Organisations: `org` alone, or every organisation below the user's (itself when none).
    Task forces and persons: those named on the organisation's projects the user sees (a
    leader's projects or a task force's) or on its targets.
    """
    check_kind(kind)
    if kind == SubjectKind.ORGANIZATION:
        from parklink.kpi.services.assess import organizations_for

        if org is not None:
            _home(user, org)
        return [Subject(kind, o.pk, o, o.name) for o in organizations_for(user, org)]
    home = _home(user, org)
    seen = Project.objects.filter(visibility_q(user), owner=home)
    if kind == SubjectKind.DEPARTMENT:
        return [
            Subject(kind, d.pk, home, d.name)
            for d in Department.objects.filter(organization=home).order_by("name")
        ]
    if kind == SubjectKind.OFFICE:
        return [
            Subject(kind, o.pk, home, o.name)
            for o in LiaisonOffice.objects.filter(organization=home).order_by("kind", "name")
        ]
    targets = Target.objects.filter(organization=home, subject_kind=kind)
    if kind == SubjectKind.TASK_FORCE:
        names = set(seen.exclude(task_force="").values_list("task_force", flat=True).distinct())
        names |= set(targets.values_list("task_force", flat=True))
        return [Subject(kind, n, home, n) for n in sorted(names)]
    ids = set(seen.filter(leader_user__isnull=False).values_list("leader_user_id", flat=True))
    ids |= set(targets.exclude(person=None).values_list("person_id", flat=True))
    people = User.objects.filter(pk__in=ids, organization=home).order_by("username")
    return [Subject(kind, u.pk, home, u.get_full_name() or u.username) for u in people]


def grouping(subjects: Iterable[Subject]) -> actuals.Grouping:
    """The pipeline grouping of subjects of one kind (and, but for organisations, one owner)."""
    chosen = list(subjects)
    if not chosen:
        return actuals.by_organizations([])
    kind = chosen[0].kind
    keys = [s.key for s in chosen]
    org_id = chosen[0].organization.pk
    if kind == SubjectKind.ORGANIZATION:
        return actuals.by_organizations(keys)
    if kind == SubjectKind.TASK_FORCE:
        return actuals.by_task_forces(org_id, keys)
    if kind == SubjectKind.PERSON:
        return actuals.by_persons(org_id, keys)
    if kind == SubjectKind.DEPARTMENT:
        return actuals.by_departments(keys)
    return actuals.by_offices(keys)


TARGET_FIELD = {
    SubjectKind.ORGANIZATION: "organization_id",
    SubjectKind.TASK_FORCE: "task_force",
    SubjectKind.PERSON: "person_id",
    SubjectKind.DEPARTMENT: "department_id",
    SubjectKind.OFFICE: "office_id",
}


def targets(subjects: Iterable[Subject], period: Period) -> dict[Any, dict[str, Decimal]]:
    """Each subject's targets of the period (kind → value)."""
    chosen = list(subjects)
    found: dict[Any, dict[str, Decimal]] = {s.key: {} for s in chosen}
    if not chosen:
        return found
    kind = chosen[0].kind
    column = TARGET_FIELD[SubjectKind(kind)]
    rows = (
        Target.objects.filter(subject_kind=kind, period=period.label)
        .filter(**{f"{column}__in": list(found)})
        .order_by()  # the model's ordering would join the organisations for nothing
    )
    if kind in (SubjectKind.TASK_FORCE, SubjectKind.PERSON):
        rows = rows.filter(organization=chosen[0].organization)
    for key, target_kind, value in rows.values_list(column, "kind", "value"):
        found[key][target_kind] = value
    return found


def find(user: User, kind: str, key: str, org: Organization | None = None) -> Subject:
    """One subject by its stored key (as an assessment or an address names it)."""
    from parklink.core.errors import NotFound

    for subject in subjects_of(user, kind, org):
        if subject.key_text == key or str(subject.key) == key:
            return subject
    raise NotFound(_("考核对象不存在或无权查看。"))
