"""`parklink import matching-listings`: all or nothing, row errors named, tagged on import."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parklink.matching.models import Listing

HEADER = ["企业", "供需", "类别", "名称", "数量", "单位", "联系电话"]


def _import(path, who="shifang_officer"):
    out = io.StringIO()
    call_command(
        "import", "matching-listings", str(path), "--as", who, stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


def test_listings_import_tagged_and_owned_by_the_importer(world, xlsx):
    path = xlsx(
        HEADER,
        [
            [
                "四川示例正极材料有限公司",
                "供给",
                "原材料",
                "磷酸铁锂正极材料",
                "500",
                "吨",
                "13800000001",
            ],
            ["四川示例正极材料有限公司", "需求", "设备", "窑炉设备", "", "", ""],
        ],
    )
    out = _import(path)
    assert "2" in out
    rows = list(Listing.objects.order_by("id"))
    assert [(r.side, r.kind, r.owner_id) for r in rows] == [
        ("supply", "material", world.orgs["shifang"].pk),
        ("need", "equipment", world.orgs["shifang"].pk),
    ]
    assert rows[0].segment == "cathode" and str(rows[0].quantity) == "500.00"


def test_one_bad_row_imports_nothing_and_names_row_and_column(world, xlsx):
    path = xlsx(
        HEADER,
        [
            ["四川示例正极材料有限公司", "供给", "原材料", "磷酸铁锂正极材料", "500", "吨", ""],
            ["没有这家公司", "供给", "原材料", "正极材料", "1", "吨", ""],
            ["四川示例正极材料有限公司", "卖", "原材料", "正极材料", "-1", "吨", ""],
        ],
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import", "matching-listings", str(path), "--as", "shifang_officer",
            stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    text = err.getvalue()
    assert "第3行" in text and "企业库中没有这家企业" in text
    assert "第4行" in text and "应为以下之一" in text and "应大于 0" in text
    assert not Listing.objects.exists()


def test_a_viewer_cannot_import(world, xlsx):
    path = xlsx(HEADER, [["四川示例正极材料有限公司", "供给", "原材料", "正极材料", "", "", ""]])
    with pytest.raises(CommandError):
        _import(path, who="jinniu_viewer")
    assert not Listing.objects.exists()
