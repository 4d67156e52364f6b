"""The accounts app's demo step: the organisations of organizations.yaml and an officer each.

Each organisation is remembered under its key in the "organizations" namespace, its officer
(username = the key, the demo password) in "officers".
"""

from __future__ import annotations

from parklink.accounts.models import Organization, Role, User
from parklink.core import demo
from parklink.core.registry import DemoContext


def load_organizations(ctx: DemoContext) -> None:
    for rec in demo.read("organizations"):
        org = Organization.objects.filter(name=rec["name"]).first()
        if org is None:
            org = Organization.objects.create(
                name=rec["name"],
                kind=rec["kind"],
                region=demo.require(ctx, "regions", rec["region"]),
                description=rec.get("description", ""),
            )
            demo.created(ctx, "organizations", org, rec)
        ctx.remember("organizations", rec["key"], org)
        ctx.remember("officers", rec["key"], officer(ctx, rec["key"], org))


def officer(ctx: DemoContext, key: str, org: Organization) -> User:
    """The organisation's demo officer, signing in as `key` with the demo password."""
    user = User.objects.filter(username=key).first()
    if user is None:
        user = User.objects.create_user(
            username=key,
            password=demo.DEMO_PASSWORD,
            organization=org,
            role=Role.OFFICER,
            display_name=f"{org.name}专员",
        )
        ctx.count("users")
    return user
