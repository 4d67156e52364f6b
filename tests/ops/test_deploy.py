"""The documented production settings (deploy/parklink.env.example) pass `check --deploy`,
and the deployment files agree with the settings they name."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.ops.support import PARKLINK, ROOT, production_env

DEPLOY = ROOT / "deploy"


def documented_environment() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in (DEPLOY / "parklink.env.example").read_text("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            found[key] = value
    return found


def check_deploy(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = production_env(tmp_path, **env)
    full.pop("PARKLINK_SECURE_COOKIES", None)  # production keeps the default: secure cookies
    return subprocess.run(
        [*PARKLINK, "check", "--deploy", "--fail-level", "WARNING"],
        env=full,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


class TestCheckDeploy:
    def test_the_documented_production_settings_are_clean(self, tmp_path: Path) -> None:
        env = documented_environment()
        # This machine's own folders and database instead of the example's.
        env.update(
            PARKLINK_VAR=str(tmp_path),
            PARKLINK_HOME=str(ROOT),
            PARKLINK_BACKUP_DIR=str(tmp_path / "backups"),
            DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
            SECRET_KEY="k" * 10 + "Zq8!x2@Lm#4$Vb7%Nc1^Rt5&Wy9*Hd3(Pg6)Jf0-Ks_Ua+Ie=Ol" * 2,
        )
        done = check_deploy(tmp_path, **env)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "System check identified no issues" in done.stdout

    def test_without_the_tls_settings_the_check_complains(self, tmp_path: Path) -> None:
        env = documented_environment()
        for key in ("PARKLINK_SSL_REDIRECT", "PARKLINK_HSTS_SECONDS"):
            env.pop(key)
        env.update(
            PARKLINK_VAR=str(tmp_path),
            PARKLINK_HOME=str(ROOT),
            DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
            SECRET_KEY="k" * 10 + "Zq8!x2@Lm#4$Vb7%Nc1^Rt5&Wy9*Hd3(Pg6)Jf0-Ks_Ua+Ie=Ol" * 2,
        )
        done = check_deploy(tmp_path, **env)
        assert done.returncode != 0
        assert "security.W004" in done.stderr  # HSTS
        assert "security.W008" in done.stderr  # SSL redirect


class TestDeploymentFiles:
    def test_nginx_accepts_the_largest_import(self) -> None:
        nginx = (DEPLOY / "nginx-parklink.conf").read_text("utf-8")
        size = re.search(r"client_max_body_size (\d+)m;", nginx)
        assert size is not None
        limit = int(documented_environment()["PARKLINK_IMPORT_MAX_BYTES"])
        assert int(size.group(1)) * 1024 * 1024 > limit

    def test_the_units_run_the_commands_this_version_has(self) -> None:
        web = (DEPLOY / "parklink-web.service").read_text("utf-8")
        worker = (DEPLOY / "parklink-worker.service").read_text("utf-8")
        backup = (DEPLOY / "parklink-backup.service").read_text("utf-8")
        assert "ExecStart=/srv/parklink/.venv/bin/parklink serve" in web
        assert "ExecStart=/srv/parklink/.venv/bin/parklink worker" in worker
        assert "ExecStart=/srv/parklink/.venv/bin/parklink backup" in backup
        for unit in (web, worker, backup):
            assert "EnvironmentFile=/etc/parklink/parklink.env" in unit

    def test_nginx_sends_the_headers_the_settings_trust(self) -> None:
        nginx = (DEPLOY / "nginx-parklink.conf").read_text("utf-8")
        env = documented_environment()
        assert env["PARKLINK_BEHIND_TLS_PROXY"] == "1"
        assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
        assert env["PARKLINK_PROXY_COUNT"] == "1"
        assert "proxy_set_header X-Forwarded-For $remote_addr;" in nginx
