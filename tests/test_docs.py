"""Docs that cannot rot: every setting and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV_DOC = (ROOT / "docs" / "development.md").read_text("utf-8")


def test_every_environment_setting_is_documented() -> None:
    source = (ROOT / "src" / "parklink" / "settings.py").read_text("utf-8")
    names = set(re.findall(r"""(?:environ\.get|env_flag|env_list)\(\s*["']([A-Z_]+)["']""", source))
    names |= set(re.findall(r"""["']([A-Z_]+)["'] (?:not )?in os\.environ""", source))
    assert names, "no settings found: the pattern no longer matches settings.py"
    missing = sorted(name for name in names if f"`{name}`" not in DEV_DOC)
    assert not missing, f"settings missing from docs/development.md: {missing}"


def test_every_variable_the_test_tooling_reads_is_documented() -> None:
    names: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        source = path.read_text("utf-8")
        names |= set(re.findall(r"""environ\.get\(\s*["']([A-Z_]+)["']""", source))
        names |= set(re.findall(r"""^[A-Z_]+_ENV = ["']([A-Z_]+)["']""", source, flags=re.M))
    assert "PARKLINK_SEEDS_DIR" in names, "the pattern no longer finds the tests' variables"
    missing = sorted(name for name in names if f"`{name}`" not in DEV_DOC)
    assert not missing, f"test variables missing from docs/development.md: {missing}"


def test_every_command_is_documented() -> None:
    commands = {
        path.stem
        for path in (ROOT / "src" / "parklink").glob("*/management/commands/*.py")
        if not path.stem.startswith("_")
    }
    assert "demo" in commands
    missing = sorted(name for name in commands if f"parklink {name}" not in DEV_DOC)
    assert not missing, f"commands missing from docs/development.md: {missing}"


def test_readme_starts_with_run_and_test() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    commands = re.findall(r"^make \w+", readme, flags=re.M)
    assert commands[:2] == ["make run", "make test"]
