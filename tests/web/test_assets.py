"""Vendor files are copied from node_modules; a missing install says what to run."""

from __future__ import annotations

from pathlib import Path

import pytest

from parklink.web import assets


def fake_node_modules(root: Path) -> Path:
    modules = root / "node_modules"
    for source in assets.FILES:
        path = modules / source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"/* {source} */")
    return modules


class TestAssets:
    def test_copies_every_vendor_file(self, tmp_path: Path) -> None:
        modules = fake_node_modules(tmp_path)
        written = assets.copy_assets(modules, tmp_path / "vendor")
        assert sorted(p.name for p in written) == ["echarts.min.js", "htmx.min.js"]
        copied = (tmp_path / "vendor" / "htmx.min.js").read_text()
        assert copied == "/* htmx.org/dist/htmx.min.js */"

    def test_finds_node_modules_above_the_start(self, tmp_path: Path) -> None:
        modules = fake_node_modules(tmp_path)
        nested = tmp_path / "a" / "b"
        nested.mkdir(parents=True)
        assert assets.find_node_modules(nested) == modules

    def test_missing_node_modules_says_to_run_npm_ci(self, tmp_path: Path) -> None:
        with pytest.raises(assets.AssetsMissing, match="npm ci"):
            assets.find_node_modules(tmp_path)

    def test_missing_package_file_is_named(self, tmp_path: Path) -> None:
        (tmp_path / "node_modules").mkdir()
        with pytest.raises(assets.AssetsMissing, match=r"echarts/dist/echarts\.min\.js"):
            assets.copy_assets(tmp_path / "node_modules", tmp_path / "vendor")

    def test_main_fails_with_a_message_without_node_modules(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.chdir(tmp_path)
        assert assets.main() == 1
        assert "npm ci" in capsys.readouterr().err

    def test_the_repository_pins_exact_versions(self) -> None:
        import json

        root = Path(__file__).resolve().parents[2]
        declared = json.loads((root / "package.json").read_text())["dependencies"]
        assert set(declared) == {"echarts", "htmx.org"}
        assert all(version[0].isdigit() for version in declared.values())
        # Test tools only (the browser tests read them from node_modules; never served).
        tools = json.loads((root / "package.json").read_text())["devDependencies"]
        assert set(tools) == {"axe-core"}
        assert all(version[0].isdigit() for version in tools.values())
        locked = json.loads((root / "package-lock.json").read_text())["packages"]
        assert locked["node_modules/htmx.org"]["version"].startswith("2.")
