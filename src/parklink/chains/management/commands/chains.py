"""`parklink chains SUBCOMMAND …`: industry chains from the command line.

    parklink chains list [--segments]
    parklink chains classify-file INPUT.csv -o OUTPUT.csv
    parklink chains classify [--all|--changed]
    parklink chains gaps --place PLACE --chain KEY
    parklink chains targets --place PLACE --segment KEY

`SUBCOMMANDS` maps each subcommand to its handler, "module:attribute": an object with `help`
(one line), `add_arguments(parser)` and `handle(command, options)`. A handler that needs no
database (list, classify-file) touches none: the command itself runs no system or migration
check. The contract of each subcommand is in docs/chains.md.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

SUBCOMMANDS: dict[str, str] = {
    "list": "parklink.chains.classify.cli:list_chains",
    "classify-file": "parklink.chains.classify.cli:classify_file",
    "classify": "parklink.chains.cli:classify",
    "gaps": "parklink.chains.cli:gaps",
    "targets": "parklink.chains.cli:targets",
}


def handler(name: str) -> Any:
    module, _, attribute = SUBCOMMANDS[name].partition(":")
    return getattr(import_module(module), attribute)


class Command(BaseCommand):
    help = "Industry chains: list the templates, classify enterprises, gaps and targets."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name in SUBCOMMANDS:
            chosen = handler(name)
            sub = actions.add_parser(name, help=chosen.help)
            chosen.add_arguments(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        handler(options["action"]).handle(self, options)
