"""`parklink intel ACTION ...`: the intelligence commands, one handler module per action.

    parklink intel ingest PATH... [--org ORG] [--as USER]   (parklink.intel.cli_ingest)
    parklink intel extract PATH... -o OUT.jsonl             (parklink.intel.cli_extract)

Each handler module has `HELP`, `add_arguments(parser)` and `handle(command, options)`; an
action whose module is not installed is left out of the table.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

# action → the module that handles it
SUBCOMMANDS: dict[str, str] = {
    "ingest": "parklink.intel.cli_ingest",
    "extract": "parklink.intel.cli_extract",
}


def _handlers() -> dict[str, ModuleType]:
    return {
        action: import_module(dotted)
        for action, dotted in SUBCOMMANDS.items()
        if find_spec(dotted) is not None
    }


class Command(BaseCommand):
    help = "Investment intelligence: ingest articles into the review queue, or extract offline."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for action, module in _handlers().items():
            sub = actions.add_parser(action, help=getattr(module, "HELP", action))
            module.add_arguments(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        _handlers()[options["action"]].handle(self, options)
