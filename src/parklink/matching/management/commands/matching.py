"""`parklink matching listings|policies ...`: matches, duplicates, figures and eligibility.

  parklink matching listings match ID [--top 20] [--as USER]
  parklink matching listings duplicates [--as USER]
  parklink matching listings figures EVENT_ID [--as USER]
  parklink matching policies enterprise ENTERPRISE_ID [--as USER]
  parklink matching policies candidates POLICY_ID [--as USER]
  parklink matching finance match NEED_ID [--save] [--as USER]
  parklink matching finance figures [--event EVENT_ID] [--by day|event|programme] [--as USER]
  parklink matching siting PROJECT_ID [--top 20] [--parts] [--as USER]

Output is tab-separated text (one row per line); amounts are exact 元.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parklink.accounts.models import User
from parklink.core.errors import ParkLinkError
from parklink.enterprises.models import Enterprise
from parklink.matching.models import Event
from parklink.matching.services import events, finance, listings, policies, siting


class Command(BaseCommand):
    help = "Supply–demand matching and policy eligibility (docs/matching.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        areas = parser.add_subparsers(dest="area", required=True, metavar="AREA")
        listing: ArgumentParser = areas.add_parser("listings", help="supply–demand listings")
        acts = listing.add_subparsers(dest="action", required=True, metavar="ACTION")
        match = acts.add_parser("match", help="the other side's listings ranked, with reasons")
        match.add_argument("listing", type=int)
        match.add_argument("--top", type=int, default=20)
        acts.add_parser("duplicates", help="groups of reposted listings")
        figures = acts.add_parser("figures", help="an event's figures from its records")
        figures.add_argument("event", type=int)
        policy: ArgumentParser = areas.add_parser("policies", help="policy eligibility")
        pacts = policy.add_subparsers(dest="action", required=True, metavar="ACTION")
        ent = pacts.add_parser("enterprise", help="the policies reaching an enterprise")
        ent.add_argument("enterprise", type=int)
        cand = pacts.add_parser("candidates", help="who qualifies, who is one condition away")
        cand.add_argument("policy", type=int)
        fin: ArgumentParser = areas.add_parser("finance", help="financing matchmaking")
        facts = fin.add_subparsers(dest="action", required=True, metavar="ACTION")
        fmatch = facts.add_parser("match", help="every bank product's fit for a need")
        fmatch.add_argument("need", type=int)
        fmatch.add_argument(
            "--save", action="store_true", help="store the matches and move the need to 已匹配"
        )
        ffig = facts.add_parser("figures", help="the programme's figures from the records")
        ffig.add_argument("--event", type=int, default=None)
        ffig.add_argument("--by", choices=("total", "day", "event", "programme"), default="total")
        site: ArgumentParser = areas.add_parser("siting", help="parks ranked for a project")
        site.add_argument("project", type=int)
        site.add_argument("--top", type=int, default=20)
        site.add_argument(
            "--parts", action="store_true", help="also print each part's value (0..1)"
        )
        for sub in (match, acts.choices["duplicates"], figures, ent, cand, fmatch, ffig, site):
            sub.add_argument("--as", dest="username", default=None, help="the acting user")

    def handle(self, *args: Any, **options: Any) -> None:
        user = self.acting_user(options["username"])
        action = options.get("action")
        handler = getattr(self, f"{options['area']}_{action}" if action else options["area"])
        try:
            handler(user, options)
        except ParkLinkError as exc:
            raise CommandError(exc.message) from exc

    def acting_user(self, username: str | None) -> User:
        users = User.objects.select_related("organization").filter(is_active=True)
        user = (
            users.filter(username=username).first()
            if username
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if user is None:
            raise CommandError(f"用户“{username or '<superuser>'}”不存在")
        return user

    def out(self, *cells: Any) -> None:
        self.stdout.write("\t".join("" if c is None else str(c) for c in cells))

    def listings_match(self, user: User, options: dict[str, Any]) -> None:
        listing = listings.get_visible(user, options["listing"])
        self.out("id", "score", "enterprise", "title", "reasons")
        for m in listings.matches(user, listing, options["top"]):
            self.out(
                m.listing.pk,
                f"{m.match.score:.4f}",
                m.listing.enterprise.name,
                m.listing.title,
                ";".join(m.match.reasons),
            )

    def listings_duplicates(self, user: User, options: dict[str, Any]) -> None:
        self.out("keep", "duplicates", "enterprise", "title")
        for group in listings.duplicate_groups():
            first = group[0]
            self.out(
                first.pk,
                ",".join(str(x.pk) for x in group[1:]),
                first.enterprise.name,
                first.title,
            )

    def listings_figures(self, user: User, options: dict[str, Any]) -> None:
        event = events.get_visible(user, options["event"])
        figures = events.figures(Event.objects.filter(pk=event.pk))
        for name, value in vars(figures).items():
            self.out(name, value)

    def policies_enterprise(self, user: User, options: dict[str, Any]) -> None:
        enterprise = Enterprise.objects.filter(pk=options["enterprise"]).first()
        if enterprise is None:
            raise CommandError(f"企业 {options['enterprise']} 不存在")
        self.out("policy", "title", "qualifies", "mode", "estimate_yuan", "conditions", "via")
        for row in policies.for_enterprise(user, enterprise):
            self.out(
                row.policy.pk,
                row.policy.title,
                "yes" if row.qualifies else "no",
                row.readiness.mode,
                row.estimate,
                ";".join(f"{s.condition.key}={s.state}" for s in row.states),
                "、".join(row.via),
            )

    def policies_candidates(self, user: User, options: dict[str, Any]) -> None:
        policy = policies.get_visible(user, options["policy"])
        found = policies.enterprises_for(policy)
        self.out("enterprise", "name", "status", "estimate_yuan_or_condition")
        for enterprise, amount in found.qualifying:
            self.out(enterprise.pk, enterprise.name, "qualifies", amount)
        for enterprise, condition, state in found.one_away:
            self.out(enterprise.pk, enterprise.name, "one_away", f"{condition.key}={state}")

    def finance_match(self, user: User, options: dict[str, Any]) -> None:
        need = finance.get_need(user, options["need"])
        if options["save"]:
            finance.match(user, need)
        self.out("product", "bank", "name", "eligible", "score", "conditions", "reasons")
        for product, fit in finance.fit_need(need):
            self.out(
                product.pk,
                product.bank.name,
                product.name,
                "yes" if fit.eligible else "no",
                f"{fit.score:.4f}",
                ";".join(f"{c.key}={state}" for c, state in fit.states),
                ";".join(fit.reasons if fit.eligible else fit.blockers),
            )

    def finance_figures(self, user: User, options: dict[str, Any]) -> None:
        needs = finance.visible_needs(user)
        if options["event"] is not None:
            needs = needs.filter(event_id=options["event"])
        report = finance.figures(needs)
        names = list(report.total.as_dict())
        if options["by"] == "total":
            for name, value in report.total.as_dict().items():
                self.out(name, value)
        else:
            groups: dict[Any, finance.Figures]
            if options["by"] == "day":
                groups = dict(report.by_day)
            elif options["by"] == "event":
                groups = dict(report.by_event)
            else:
                groups = dict(report.by_programme)
            self.out(options["by"], *names)
            for key, row in groups.items():
                self.out(key, *row.as_dict().values())
        if report.illustrative:
            self.out("note", "含示例数据")

    def siting(self, user: User, options: dict[str, Any]) -> None:
        found = siting.rank(user, siting.get_project(user, options["project"]), options["top"])
        parts = list(siting.score.PARTS) if options["parts"] else []
        self.out("rank", "park", "name", "score", *parts, "reasons")
        for position, f in enumerate(found.fits, start=1):
            self.out(
                position,
                f.park.pk,
                f.park.name,
                f"{f.score:.4f}",
                *(f"{f.fit.parts[p]:.2f}" for p in parts),
                ";".join(text for text, _good in f.reasons()),
            )
