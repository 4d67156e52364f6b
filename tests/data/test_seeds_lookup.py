"""The seed-article lookup: the variable or the default folder; skip when absent, fail under CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import seeds


class TestSeedsDir:
    def test_the_variable_names_the_folder(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("PARKLINK_SEEDS_DIR", "/somewhere/seeds")
        assert seeds.seeds_dir() == Path("/somewhere/seeds")

    def test_default_is_shared_seeds_next_to_the_repository(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("PARKLINK_SEEDS_DIR", raising=False)
        assert seeds.seeds_dir() == seeds.REPO_ROOT.parent / "shared" / "seeds"


class TestMissingSeeds:
    def test_a_missing_folder_skips_naming_the_variable(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        monkeypatch.setenv("PARKLINK_SEEDS_DIR", str(tmp_path / "absent"))
        monkeypatch.delenv("CI", raising=False)
        with pytest.raises(pytest.skip.Exception, match="PARKLINK_SEEDS_DIR"):
            seeds.seed_texts()

    def test_under_ci_a_missing_folder_fails(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        monkeypatch.setenv("PARKLINK_SEEDS_DIR", str(tmp_path / "absent"))
        monkeypatch.setenv("CI", "true")
        with pytest.raises(pytest.fail.Exception, match="PARKLINK_SEEDS_DIR"):
            seeds.seed_texts()

    def test_a_folder_without_articles_counts_as_missing(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        monkeypatch.setenv("PARKLINK_SEEDS_DIR", str(tmp_path))
        monkeypatch.setenv("CI", "true")
        with pytest.raises(pytest.fail.Exception, match="No seed articles"):
            seeds.seed_texts()

    def test_articles_are_read_by_file_name(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        (tmp_path / "000_a.txt").write_text("高德产业园", encoding="utf-8")
        monkeypatch.setenv("PARKLINK_SEEDS_DIR", str(tmp_path))
        assert seeds.seed_texts() == {"000_a.txt": "高德产业园"}
