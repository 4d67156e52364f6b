"""`parklink demo`: migrate, then load the demo data set (running it twice changes nothing)."""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from parklink.core.demo import DEMO_ADMIN, DEMO_PASSWORD, data_date, load_demo

DEFAULT_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = "Migrate the database and load the demo data built from the source articles."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-migrate", action="store_true", help="skip `migrate`")
        parser.add_argument(
            "--url",
            default=os.environ.get("PARKLINK_URL", DEFAULT_URL),
            help="the address the login line names (make run passes its HOST and PORT)",
        )
        parser.add_argument(
            "--print-as-of",
            action="store_true",
            help="print the demo's data date (YYYY-MM-DD) and do nothing else",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["print_as_of"]:
            found = data_date()
            self.stdout.write(found.isoformat() if found else "")
            return
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        report = load_demo()
        if report.total:
            details = ", ".join(f"{kind} {n}" for kind, n in sorted(report.created.items()))
            self.stdout.write(f"演示数据已载入 (demo data loaded): {details}")
        else:
            self.stdout.write(
                "演示数据已是最新,未作任何改动 (demo data already loaded; nothing changed)"
            )
        self.stdout.write(
            f"演示管理员 (demo administrator): {DEMO_ADMIN} / {DEMO_PASSWORD}  "
            f"→ {options['url']}  (每个机构另有专员账号, 用户名为机构代码, 密码相同)"
        )
