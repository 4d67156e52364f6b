"""The financing demo: 成都高新区's financing day, its banks and the articles' products."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from parklink.accounts.models import User
from parklink.core.demo import load_demo
from parklink.matching.models import FinanceProduct, FinancingNeed, NeedEvent, Programme
from parklink.matching.services import finance


@pytest.mark.django_db
def test_financing_day_demo_and_cli() -> None:
    report = load_demo()
    assert report.created["financing needs"] == 6
    assert set(FinanceProduct.objects.values_list("name", flat=True)) == {
        "成长贷",
        "园保贷",
        "壮大贷",
        "新创贷",
    }
    assert all(p.illustrative for p in FinanceProduct.objects.all())
    yingchuang = Programme.objects.get(name="盈创动力科技金融服务平台")
    assert "5.68亿元" in yingchuang.source_note and "不计入本系统统计" in yingchuang.source_note
    root = User.objects.filter(is_superuser=True).first()
    figures = finance.figures(finance.visible_needs(root))
    # our illustrative records only: 5,000,000 + 15,000,000 + 800,000 disbursed
    assert figures.total.disbursed_amount == 20_800_000
    assert figures.total.enterprises_financed == 3
    assert figures.total.needs == 6 and figures.illustrative
    assert figures.by_programme["盈创动力科技金融服务平台"].disbursed_amount == 5_800_000
    assert set(FinancingNeed.objects.values_list("status", flat=True)) == {
        "disbursed",
        "declined",
        "contacted",
        "matched",
    }
    # the bank staff approved and disbursed; their steps are in the history
    disbursing = NeedEvent.objects.filter(action="disburse").select_related("by")
    assert {e.by.username for e in disbursing if e.by} == {"bank_cdbank", "bank_icbc", "bank_ccb"}
    # a bank's staff see only the needs matched with their bank's products
    staff = User.objects.get(username="bank_icbc")
    assert {n.purpose for n in finance.visible_needs(staff)} == {"生产线扩建"}
    out = StringIO()
    call_command("matching", "finance", "figures", "--by", "programme", stdout=out)
    text = out.getvalue()
    assert "盈创动力科技金融服务平台\t" in text and "含示例数据" in text
    need = FinancingNeed.objects.get(purpose="新产品注册检验")
    out = StringIO()
    call_command("matching", "finance", "match", str(need.pk), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("product\tbank\tname\teligible")
    assert any("园保贷\tyes" in line for line in lines)
    again = load_demo()
    assert not any(again.created.get(k) for k in ("financing needs", "financing products"))
