"""`parklink ledger run|statement|forecast`: settle a period of a co-built park, a party's
statement, and the forecast (预测) of each party's share from the project pipeline.

    parklink ledger run --agreement ID --period 2025Q1 [--confirm | --background] [--as USER]
    parklink ledger statement --agreement ID --period 2025Q1 --party KEY
        --format xlsx|pdf|csv|json -o FILE [--as USER]
    parklink ledger forecast --agreement ID [--alternative FILE] --format csv|json
        [--first-year Y] [--years N] [--ramp 30%,60%,100%] [--mix vat_local=25%,...]
        [--discount-rate 5%] [--solve ratio|cap|window --rule KEY --party KEY --target YUAN
        --over N [--measure total|present_value]] [-o FILE] [--as USER]

The acting user (--as; by default the installation administrator, who sees every agreement
but confirms for no party) sees only the agreements their organisation is a party to; another
agreement is "not found", as on the API. `--confirm` confirms for the acting user's party, so
it needs --as an officer of a party.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parklink.accounts.models import User
from parklink.cobuild import exports, tasks
from parklink.cobuild.ledger import solve
from parklink.cobuild.queries import get_visible
from parklink.cobuild.services import access, confirmations, documents, runs, statements
from parklink.cobuild.services import forecast as forecasts
from parklink.core.errors import ParkLinkError


def acting_user(username: str | None) -> User:
    """The user named by --as; without it the installation administrator (the operator at the
    server's shell), as `parklink cobuild` and `parklink import` do."""
    users = User.objects.select_related("organization").filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
    else:
        user = users.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        raise CommandError(f"用户“{username or '<superuser>'}”不存在")
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
        self.forecast_arguments(actions.add_parser("forecast", help="forecast each party's share"))

    def common(self, parser: ArgumentParser) -> None:
        parser.add_argument("--agreement", type=int, required=True, help="the agreement's id")
        parser.add_argument("--period", required=True, help="2025, 2025Q1 or 2025-03")
        parser.add_argument(
            "--as",
            dest="username",
            default=None,
            help="the acting user (default: the installation administrator)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["username"])
        try:
            agreement = get_visible(user, options["agreement"])
            if options["action"] == "run":
                self.run(user, agreement, options)
            elif options["action"] == "forecast":
                self.forecast(user, agreement, options)
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
        if options["confirm"]:
            access.party_officer(user, agreement)  # refused before anything is run
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

    def forecast_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--agreement", type=int, required=True, help="the agreement's id")
        parser.add_argument(
            "--as",
            dest="username",
            default=None,
            help="the acting user (default: the installation administrator)",
        )
        parser.add_argument(
            "--alternative", help="a YAML/JSON file of alternative rule sets ({label, rules})"
        )
        parser.add_argument("--format", choices=("csv", "json"), default="json")
        parser.add_argument("-o", "--output", help="the file to write (default: stdout)")
        parser.add_argument("--first-year", type=int, help="the first year (default: next year)")
        parser.add_argument("--years", type=int, help="the horizon (default: to the term's end)")
        parser.add_argument("--ramp", help="the ramp-up curve, e.g. 30%%,60%%,100%%")
        parser.add_argument("--mix", help="the tax mix, e.g. vat_local=25%%,cit_local=16%%")
        parser.add_argument("--discount-rate", default="0", help="e.g. 5%% or 1/20")
        parser.add_argument("--solve", choices=solve.FAMILIES, help="the solver's family")
        parser.add_argument("--rule", help="the rule the solver varies")
        parser.add_argument("--party", help="the party whose total is asked for")
        parser.add_argument("--target", help="the amount the party should get, in 元")
        parser.add_argument("--over", type=int, help="over the first N years")
        parser.add_argument("--scenario", type=int, default=0, help="0 current, 1 first alt.")
        parser.add_argument("--measure", choices=solve.MEASURES, default="total")

    def forecast(self, user: User, agreement: Any, options: dict[str, Any]) -> None:
        mix = None
        if options["mix"]:
            pairs = [item.split("=", 1) for item in options["mix"].split(",") if item.strip()]
            if any(len(pair) != 2 for pair in pairs):
                raise CommandError("--mix 应写作 vat_local=25%,cit_local=16%")
            mix = {key.strip(): value.strip() for key, value in pairs}
        assumptions = forecasts.assumptions_for(
            agreement,
            ramp=[v.strip() for v in options["ramp"].split(",")] if options["ramp"] else None,
            tax_mix=mix,
            discount_rate=options["discount_rate"],
            first_year=options["first_year"],
            years=options["years"],
        )
        alternatives = None
        if options["alternative"]:
            path = Path(options["alternative"])
            if not path.is_file():
                raise CommandError(f"文件不存在:{path}")
            alternatives = documents.read_text(path.read_text("utf-8"))
        question = None
        if options["solve"]:
            missing = [n for n in ("rule", "party", "target", "over") if not options[n]]
            if missing:
                raise CommandError("--solve 还需要 " + "、".join(f"--{n}" for n in missing))
            question = {
                "family": options["solve"],
                "rule": options["rule"],
                "party": options["party"],
                "amount": yuan_to_fen(options["target"]),
                "years": options["over"],
                "measure": options["measure"],
            }
        found = forecasts.build(
            user, agreement, assumptions, alternatives, question, options["scenario"]
        )
        if options["format"] == "csv":
            data = forecasts.as_csv(found)
        else:
            text = json.dumps(forecasts.as_json(found), ensure_ascii=False, indent=2)
            data = (text + "\n").encode()
        if options["output"]:
            Path(options["output"]).write_bytes(data)
            self.stdout.write(f"已导出到 {options['output']}")
        else:
            self.stdout.write(data.decode("utf-8-sig"), ending="")


def yuan_to_fen(text: str) -> int:
    """An amount in 元 with at most two places, exactly in fen."""
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:
        raise CommandError(f"金额无法识别:{text}") from exc
    fen = value * 100
    if fen != fen.to_integral_value() or fen < 0:
        raise CommandError(f"金额须为非负数,精确到分:{text}")
    return int(fen)
