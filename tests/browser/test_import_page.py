"""The import page in a real browser: a bad row is reported and nothing is written."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from parklink.accounts.models import User
from parklink.enterprises.models import Enterprise
from parklink.enterprises.uscc import check_character

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def uscc(number: int) -> str:
    first17 = f"91510106MA{number:07d}"
    return first17 + check_character(first17)


def workbook(rows: Sequence[Sequence[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["企业名称", "统一社会信用代码", "注册地"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Uploads waiting for confirmation go to a temporary folder, never the project's var/."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(page: Any, live_server: Any, name: str, data: bytes) -> None:
    page.goto(f"{live_server.url}/import/")
    page.check("input[name=kind][value=enterprises]")
    page.set_input_files(
        "input[name=file]",
        files=[
            {"name": name, "mimeType": XLSX, "buffer": data},
        ],
    )
    page.click("#import-form button[type=submit]")


class TestImportPage:
    def test_bad_row_is_reported_in_the_page_and_nothing_is_written(
        self, page: Any, live_server: Any, login: Callable[..., Any], users: dict[str, User]
    ) -> None:
        before = Enterprise.objects.count()
        bad = uscc(2)[:17] + "X"
        data = workbook(
            [
                ["成都金牛智造科技有限公司", uscc(1), "510106"],
                ["四川蓉欧物流有限公司", bad, "510106"],
            ]
        )
        login(page, users["jinniu"])
        upload(page, live_server, "企业名单.xlsx", data)
        problem = page.locator("#import-problems tbody tr")
        problem.first.wait_for()
        assert problem.count() == 1
        cells = problem.first.locator("td").all_inner_texts()
        assert cells[:3] == ["3", "统一社会信用代码", bad]
        assert "校验码错误" in cells[3]
        assert page.locator("#import-confirm").count() == 0
        assert Enterprise.objects.count() == before

    def test_good_file_is_imported_after_confirmation(
        self, page: Any, live_server: Any, login: Callable[..., Any], users: dict[str, User]
    ) -> None:
        before = Enterprise.objects.count()
        data = workbook(
            [
                ["成都金牛智造科技有限公司", uscc(1), "510106"],
                ["四川蓉欧物流有限公司", uscc(2), "成都市金牛区"],
            ]
        )
        login(page, users["jinniu"])
        upload(page, live_server, "企业名单.xlsx", data)
        page.locator("#import-confirm").wait_for()
        assert Enterprise.objects.count() == before
        page.click("#import-confirm")
        page.locator("#import-created").wait_for()
        assert page.inner_text("#import-created") == "2"
        assert Enterprise.objects.count() == before + 2

    def test_viewer_sees_that_they_cannot_import(
        self, page: Any, live_server: Any, login: Callable[..., Any], users: dict[str, User]
    ) -> None:
        login(page, users["jinniu_viewer"])
        page.goto(f"{live_server.url}/import/")
        assert page.locator("#import-forbidden").is_visible()
        assert page.locator("#import-form").count() == 0

    def test_cancelling_after_the_check_writes_nothing(
        self,
        page: Any,
        live_server: Any,
        login: Callable[..., Any],
        users: dict[str, User],
        media_root: Path,
    ) -> None:
        data = workbook([["成都金牛智造科技有限公司", uscc(1), "510106"]])
        login(page, users["jinniu"])
        upload(page, live_server, "企业名单.xlsx", data)
        page.locator("#import-confirm").wait_for()
        page.click("#import-report button:not(#import-confirm)")
        page.locator("#import-cancelled").wait_for()
        assert Enterprise.objects.count() == 0
        assert not any((media_root / "imports").rglob("*.xlsx"))
