"""The promotion demo step (data/demo/matching_promotion.yaml): 郴州高新区 publishes its profile
and two signed projects, 什邡市 its (illustrative) policy, each through the services by the
organisation's officer, so the public pages have something to show. Every publication is
marked illustrative; running the step twice changes nothing."""

from __future__ import annotations

from typing import Any

from parklink.core import demo
from parklink.core.registry import DemoContext
from parklink.matching.models import Policy
from parklink.matching.models_promotion import Publication
from parklink.matching.services import promotion
from parklink.projects.models import Project

FILE = "matching_promotion"


def load(ctx: DemoContext) -> None:
    for rec in demo.read(FILE):
        made = _publish(ctx, rec)
        if made is not None:
            Publication.objects.filter(pk=made.pk).update(illustrative=True)
            ctx.count("matching publications")


def _publish(ctx: DemoContext, rec: dict[str, Any]) -> Publication | None:
    owner = demo.require(ctx, "organizations", rec["owner"])
    officer = demo.require(ctx, "officers", rec["owner"])
    live = promotion.live().filter(owner=owner, kind=rec["kind"])
    if rec["kind"] == "park":
        park = demo.require(ctx, "parks", rec["park"])
        if live.filter(park=park).exists():
            return None
        return promotion.publish_park(officer, park)
    if rec["kind"] == "project":
        project = Project.objects.filter(owner=owner, name=rec["project"]).first()
        if project is None:
            raise demo.DemoDataError(f"demo data: no project {rec['project']!r}")
        if live.filter(project=project).exists():
            return None
        return promotion.publish_project(officer, project, rec["summary"])
    if rec["kind"] == "policy":
        policy = Policy.objects.filter(owner=owner, title=rec["policy"]).first()
        if policy is None:
            raise demo.DemoDataError(f"demo data: no policy {rec['policy']!r}")
        if live.filter(policy=policy).exists():
            return None
        return promotion.publish_policy(officer, policy)
    raise demo.DemoDataError(f"demo data: unknown publication kind {rec['kind']!r}")
