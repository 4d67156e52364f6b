"""`parklink ledger run|statement`: settle a period of a co-built park, and a party's statement.

    parklink ledger run --agreement ID --period 2025Q1 [--confirm | --background] --as USER
    parklink ledger statement --agreement ID --period 2025Q1 --party KEY
        --format xlsx|csv|json -o FILE --as USER

The acting user sees only the agreements their organisation is a party to (installation
administrators see all); another agreement is "not found", as on the API.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parklink.accounts.models import User
from parklink.cobuild import exports, tasks
from parklink.cobuild.queries import get_visible
from parklink.cobuild.services import confirmations, runs, statements
from parklink.core.errors import ParkLinkError


def acting_user(username: str) -> User:
    user = (
        User.objects.select_related("organization")
        .filter(username=username, is_active=True)
        .first()
    )
    if user is None:
        raise CommandError(f"用户“{username}”不存在")
    return user


class Command(BaseCommand):
    help = "Settle a period of a co-built park agreement, or write a party's statement."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        run: ArgumentParser = actions.add_parser("run", help="split a period's figures")
        self.common(run)
        run.add_argument(
            "--confirm", action="store_true", help="also confirm the run for the user's party"
        )
        run.add_argument(
            "--background",
            action="store_true",
            help="queue the run as a background job (parklink db_worker runs it)",
        )
        statement: ArgumentParser = actions.add_parser("statement", help="a party's statement")
        self.common(statement)
        statement.add_argument("--party", required=True, help="the party's key, e.g. jinniu")
        statement.add_argument("--format", choices=exports.FORMATS, default="xlsx")
        statement.add_argument("-o", "--output", required=True, help="the file to write")

    def common(self, parser: ArgumentParser) -> None:
        parser.add_argument("--agreement", type=int, required=True, help="the agreement's id")
        parser.add_argument("--period", required=True, help="2025, 2025Q1 or 2025-03")
        parser.add_argument("--as", dest="username", required=True, help="the acting user")

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["username"])
        try:
            agreement = get_visible(user, options["agreement"])
            if options["action"] == "run":
                self.run(user, agreement, options)
            else:
                self.statement(agreement, options)
        except ParkLinkError as exc:
            raise CommandError(exc.message) from exc

    def run(self, user: User, agreement: Any, options: dict[str, Any]) -> None:
        if options["background"]:
            if options["confirm"]:
                raise CommandError("--confirm 不能与 --background 同用:结算完成后再确认")
            job = tasks.start_run(user, agreement, options["period"])
            self.stdout.write(f"后台任务 #{job.pk}:{job.get_status_display()}")
            if job.finished:
                self.stdout.write(json.dumps(job.result, ensure_ascii=False, sort_keys=True))
            return
        run = runs.run_period(user, agreement, options["period"])
        self.stdout.write(
            f"结算 #{run.pk}:{run.period_label},第{run.version.number}版,"
            f"{run.allocations.count()} 条分账结果,未匹配 {len(run.unmatched)} 条"
        )
        self.stdout.write(f"allocations sha256 {run.allocations_digest}")
        if options["confirm"]:
            confirmation = confirmations.confirm(user, run)
            run.refresh_from_db()
            self.stdout.write(
                f"{confirmation.party.organization.name} 已确认;结算状态:{run.get_status_display()}"
            )

    def statement(self, agreement: Any, options: dict[str, Any]) -> None:
        run = statements.run_for_statement(agreement, runs.parse_period(options["period"]).label)
        party = statements.find_party(agreement, options["party"])
        found = statements.statement(agreement, run, party)
        target = Path(options["output"])
        target.write_bytes(exports.render(found, options["format"]))
        self.stdout.write(f"已导出到 {target}")
