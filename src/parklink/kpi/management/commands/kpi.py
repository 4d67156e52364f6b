"""`parklink kpi assess|report|schemes|load-schemes`: score organisations, write reports.

    parklink kpi assess --scheme KEY [--version N] --period 2025Q1 [--org NAME] --as USER
        [--subject organization|department|task_force|person|office]
        [--format text|json] [--dry-run]
    parklink kpi report --org NAME --period 2025-03 --format xlsx|pdf -o FILE --as USER
    parklink kpi report --kind quarterly --scheme KEY --org NAME --period 2025Q1 ...
    parklink kpi reports --due [--today 2025-04-01] [--format xlsx] [--scheme KEY] [--force]
                                              # write the due reports into storage (cron)
    parklink kpi schemes --as USER            # the schemes the user may use
    parklink kpi load-schemes                 # (re)load the shipped examples of data/kpi/

The acting user assesses its own organisation and those below it, reading only the projects
it may see (a city reads its counties' signed projects, never their leads).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parklink.accounts.models import Organization, User
from parklink.core.errors import ParkLinkError
from parklink.kpi import reports
from parklink.kpi.queries import visible_schemes
from parklink.kpi.services import assess as assessing
from parklink.kpi.services import generated, schemes, subjects
from parklink.kpi.services.targets import parse_period


def acting_user(username: str) -> User:
    user = (
        User.objects.select_related("organization__region")
        .filter(username=username, is_active=True)
        .first()
    )
    if user is None:
        raise CommandError(f"用户“{username}”不存在")
    return user


class Command(BaseCommand):
    help = "Assess organisations under a KPI scheme, list schemes, load the shipped examples."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        run = actions.add_parser("assess", help="score organisations for a period")
        run.add_argument("--scheme", required=True, help="the scheme's key, e.g. city-districts")
        run.add_argument("--version", type=int, help="a version of the scheme (default: newest)")
        run.add_argument("--period", required=True, help="2025, 2025Q1 or 2025-03")
        run.add_argument(
            "--org",
            help="one organisation's name (default: all below the user's); with --subject, "
            "the organisation whose subjects are scored (default: the user's)",
        )
        run.add_argument(
            "--subject",
            choices=subjects.KINDS,
            default="organization",
            help="whom to score: organisations (default), or one organisation's departments, "
            "task forces, persons (project leaders) or liaison offices",
        )
        run.add_argument("--as", dest="username", required=True, help="the acting user")
        run.add_argument("--format", choices=("text", "json"), default="text")
        run.add_argument("--dry-run", action="store_true", help="compute without storing")
        report = actions.add_parser("report", help="the monthly report of one organisation")
        report.add_argument("--org", required=True, help="the organisation's name")
        report.add_argument("--period", required=True, help="2025-03, 2025Q1 or 2025")
        report.add_argument("--format", choices=reports.FORMATS, default="xlsx")
        report.add_argument("-o", "--output", required=True, help="the file to write")
        report.add_argument("--as", dest="username", required=True, help="the acting user")
        report.add_argument(
            "--kind", choices=("monthly", "quarterly"), default="monthly", help="which report"
        )
        report.add_argument("--scheme", default="city-districts", help="quarterly: the scheme")
        due = actions.add_parser("reports", help="write the due reports of every organisation")
        due.add_argument("--due", action="store_true", required=True, help="the due period's")
        due.add_argument("--today", help="the day to judge by (default: today), 2025-04-01")
        due.add_argument("--format", choices=reports.FORMATS, action="append", dest="formats")
        due.add_argument("--scheme", default="city-districts", help="quarterly: the scheme")
        due.add_argument("--org", help="one organisation's name (default: every one)")
        due.add_argument("--force", action="store_true", help="write again what exists")
        listing = actions.add_parser("schemes", help="the schemes the user may use")
        listing.add_argument("--as", dest="username", required=True, help="the acting user")
        actions.add_parser("load-schemes", help="load the shipped example schemes")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "reports":
                self.due(options)
                return
            if options["action"] == "load-schemes":
                for version in schemes.load_shipped():
                    self.stdout.write(f"{version.key} v{version.version} {version.name}")
                return
            user = acting_user(options["username"])
            if options["action"] == "schemes":
                schemes.load_shipped()
                for version in schemes.latest_versions(visible_schemes(user)):
                    self.stdout.write(f"{version.key}\tv{version.version}\t{version.name}")
                return
            if options["action"] == "report":
                self.report(user, options)
                return
            self.assess(user, options)
        except ParkLinkError as exc:
            raise CommandError(exc.message) from exc

    def report(self, user: User, options: dict[str, Any]) -> None:
        org = Organization.objects.filter(name=options["org"]).first()
        if org is None:
            raise CommandError(f"机构“{options['org']}”不存在")
        parse_period(options["period"])
        made = generated.make(
            user, org.pk, options["kind"], options["period"], options["format"], options["scheme"]
        )
        with open(options["output"], "wb") as out:
            out.write(made.data)
        self.stdout.write(f"{made.title} → {options['output']} ({len(made.data):,} bytes)")

    def due(self, options: dict[str, Any]) -> None:
        from datetime import date

        from parklink.projects.queries import today

        try:
            day = date.fromisoformat(options["today"]) if options["today"] else today()
        except ValueError as exc:
            raise CommandError(f"日期格式应为 2025-04-01:{options['today']}") from exc
        orgs = None
        if options["org"]:
            org = Organization.objects.filter(name=options["org"]).first()
            if org is None:
                raise CommandError(f"机构“{options['org']}”不存在")
            orgs = [org]
        outcome = generated.run_due(
            day,
            tuple(options["formats"] or reports.FORMATS),
            options["scheme"],
            options["force"],
            orgs,
        )
        for row in outcome.written:
            self.stdout.write(
                f"{row.organization.name}\t{row.get_kind_display()}\t{row.period}\t{row.file.name}"
            )
        for note in outcome.skipped:
            self.stderr.write(note)
        self.stdout.write(f"{len(outcome.written)} 份报告已写入存储")

    def assess(self, user: User, options: dict[str, Any]) -> None:
        version = schemes.get_version(visible_schemes(user), options["scheme"], options["version"])
        period = parse_period(options["period"])
        orgs = None
        if options["org"]:
            org = Organization.objects.select_related("region").filter(name=options["org"]).first()
            if org is None:
                raise CommandError(f"机构“{options['org']}”不存在")
            orgs = [org]
        kind = options["subject"]
        chosen = subjects.subjects_of(user, kind, orgs[0] if orgs else None)
        if not chosen:
            raise CommandError("没有可考核的对象")
        rows: list[tuple[str, Any, Any, str, Any]]
        if options["dry_run"]:
            scored = assessing.compute(user, version, period, chosen)
            rows = [(s.subject.label, s.result.total, "", "", s.result.as_json()) for s in scored]
        else:
            saved = assessing.assess(user, version, period, chosen)
            saved.sort(key=lambda a: (a.rank or 0, a.subject))
            rows = [(a.subject, a.total, a.rank or "", a.standing, a.result) for a in saved]
        if options["format"] == "json":
            payload = {
                "scheme": version.key,
                "version": version.version,
                "period": period.label,
                "illustrative": version.illustrative,
                "subject": kind,
                "organizations": [
                    {
                        "name": name,
                        "total": str(total),
                        "rank": rank or None,
                        "standing": standing,
                        "result": result,
                    }
                    for name, total, rank, standing, result in rows
                ],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        note = "(示例方案)" if version.illustrative else ""
        self.stdout.write(f"{version.name} v{version.version}{note} {period.label}")
        for name, total, rank, standing, result in rows:
            self.stdout.write(f"{rank}\t{name}\t{total}\t{standing}")
            for item in result["items"]:
                steps = ";".join(item["steps"])
                self.stdout.write(f"\t\t{item['label']}\t{item['points']}\t{steps}")
