"""The database-free subcommands of `parklink chains`: `list` and `classify-file`."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parklink.chains.catalog import CatalogError, shipped
from parklink.chains.classify import Classifier
from parklink.chains.classify.files import FileProblem, classify_stream


class ListChains:
    help = "print the chain keys and names (the keys classify-file writes)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--segments", action="store_true", help="also list each chain's segment keys"
        )

    def handle(self, command: BaseCommand, options: dict[str, Any]) -> None:
        try:
            chains = shipped()
        except CatalogError as exc:
            raise CommandError(str(exc)) from exc
        width = max(len(key) for key in chains)
        for key, chain in chains.items():
            command.stdout.write(
                f"{key:<{width}}  {chain.name}  ({chain.name_en}, {chain.version})"
            )
            if options["segments"]:
                for segment in chain.order():
                    parent = f" ⊂ {segment.parent}" if segment.parent else ""
                    command.stdout.write(
                        f"    {segment.key:<22} {segment.stage:<10} {segment.role:<13} "
                        f"{segment.name}{parent}"
                    )


class _Progress:
    """A one-line progress bar on stderr, redrawn at most five times a second."""

    def __init__(self, total: int) -> None:
        self.total = max(total, 1)
        self.shown = 0.0
        self.start = time.monotonic()

    def __call__(self, done: int, rows: int) -> None:
        now = time.monotonic()
        if now - self.shown < 0.2 and done < self.total:
            return
        self.shown = now
        share = min(done / self.total, 1.0)
        bar = "█" * int(share * 30) + "·" * (30 - int(share * 30))
        rate = rows / max(now - self.start, 1e-6)
        sys.stderr.write(f"\r{bar} {share:6.1%} {rows:,} 家企业 ({rate:,.0f}/s)")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")


class ClassifyFile:
    help = "classify a CSV of enterprises (id, name, scope[, industry_code]) without the database"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("input", help="CSV with a header: id, name, scope[, industry_code]")
        parser.add_argument("-o", "--output", required=True, help="the CSV to write")
        parser.add_argument(
            "--progress",
            choices=("auto", "always", "never"),
            default="auto",
            help="progress bar on stderr (auto: when stderr is a terminal)",
        )

    def handle(self, command: BaseCommand, options: dict[str, Any]) -> None:
        source = Path(options["input"])
        target = Path(options["output"])
        if not source.is_file():
            raise CommandError(f"找不到输入文件 {source} (no such file)")
        try:
            classifier = Classifier(shipped().values())
        except CatalogError as exc:
            raise CommandError(str(exc)) from exc
        show = options["progress"] == "always" or (
            options["progress"] == "auto" and sys.stderr.isatty()
        )
        progress = _Progress(source.stat().st_size) if show else None
        folder = target.resolve().parent
        if not folder.is_dir():
            raise CommandError(f"输出目录 {folder} 不存在 (no such folder)")
        handle, temporary = tempfile.mkstemp(prefix=".classify-", suffix=".csv", dir=folder)
        try:
            with (
                source.open("rb") as reader,
                os.fdopen(handle, "w", encoding="utf-8", newline="") as writer,
            ):
                summary = classify_stream(reader, writer, classifier, progress)
            os.replace(temporary, target)
        except FileProblem as exc:
            raise CommandError(f"{source.name}: {exc}") from exc
        finally:
            if progress is not None:
                progress.close()
            if os.path.exists(temporary):
                os.unlink(temporary)
        command.stderr.write(
            f"{summary.enterprises} 家企业, {summary.assignments} 条归属, "
            f"{summary.unassigned} 家不属于任何产业链 → {target}"
        )


list_chains = ListChains()
classify_file = ClassifyFile()
