"""Ageing colours (三类三色) of projects, and what needs the user's attention."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from parklink.accounts.models import User
from parklink.projects.ageing import Colour, standing
from parklink.projects.lifecycle import AGEING, Stage
from parklink.projects.models import Milestone, Project
from parklink.projects.queries import (
    ageing_policies,
    default_thresholds,
    owner_colour_q,
    today,
    visible_projects,
)


def colours_of(projects: Iterable[Project], on: date | None = None) -> dict[int, Colour | None]:
    """Each project's ageing colour under its owner's thresholds, with one query for all.

    STALLED for a stalled project, whatever its age; None once a project is in full
    production or closed.
    """
    projects = list(projects)
    policies = ageing_policies()
    default, when = default_thresholds(), on or today()
    return {
        project.pk: standing(
            project.stage == Stage.STALLED,
            project.last_progress_on,
            when,
            policies.get(project.owner_id, default),
        )
        if Stage(project.stage) in AGEING
        else None
        for project in projects
    }


def colour_of(project: Project, on: date | None = None) -> Colour | None:
    """The project's ageing colour; None once it is in full production or closed."""
    return colours_of([project], on)[project.pk]


def overdue_q(on: date | None = None) -> Q:
    late = Milestone.objects.filter(
        project=OuterRef("pk"), done_on__isnull=True, due_on__lt=on or today()
    )
    return Q(Exists(late))


@dataclass(frozen=True)
class AgeingSummary:
    green: int
    yellow: int
    red: int
    removal: int
    stalled: int = 0

    @property
    def warned(self) -> int:
        """Projects with a warning: yellow, red, proposed for removal, and stalled ones."""
        return self.yellow + self.red + self.removal + self.stalled


def ageing_summary(user: User) -> AgeingSummary:
    policies = ageing_policies()
    counts = visible_projects(user).aggregate(
        **{c.value: Count("pk", filter=owner_colour_q(c, policies=policies)) for c in Colour}
    )
    return AgeingSummary(
        counts[Colour.GREEN.value],
        counts[Colour.YELLOW.value],
        counts[Colour.RED.value],
        counts[Colour.REMOVAL.value],
        counts[Colour.STALLED.value],
    )


def attention_list(user: User) -> QuerySet[Project]:
    """The user's own projects that are yellow/red/removal or stalled, or have overdue ones."""
    # Led by the user's account, or, in their own organisation, under their name.
    named = Q(
        owner_id=user.organization_id,
        responsible_leader=user.display_name or user.username,
    )
    mine = visible_projects(user).filter(
        Q(leader_user=user) | named if user.organization_id else Q(leader_user=user)
    )
    policies = ageing_policies()
    late = Q(pk__in=[])
    for shade in (Colour.YELLOW, Colour.RED, Colour.REMOVAL, Colour.STALLED):
        late |= owner_colour_q(shade, policies=policies)
    return mine.filter(late | (Q(stage__in=[s.value for s in AGEING]) & overdue_q())).order_by(
        "last_progress_on"
    )
