"""US$: the rate table, foreign funds converted month by month, 无汇率 where none."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from parklink.core.errors import Forbidden, Invalid
from parklink.kpi.engine import fx, periods
from parklink.kpi.services import actuals, rates, targets
from parklink.projects import services as project_services
from tests.kpi.support import WAN, World, make
from tests.support import factories

D = Decimal


def test_conversion_is_exact_and_never_guesses() -> None:
    assert fx.usd(D("7188.40"), D("7.1884")) == D("1000.00")
    assert fx.usd(D("1"), D("3")) == D("0.33")
    assert fx.usd(D("2"), D("3")) == D("0.67")  # half up at the cent
    done = fx.convert({"2025-01": D(720), "2025-02": D(100)}, {"2025-01": D("7.2")})
    assert (done.usd, done.unconverted, done.missing) == (D("100.00"), D(100), ["2025-02"])
    with pytest.raises(ValueError):
        fx.usd(D(1), D(0))
    assert fx.check_rate(D("0")) == "range" and fx.check_rate(D("7.1234567")) == "places"


@pytest.mark.django_db
def test_foreign_funds_in_usd_with_the_rate_of_their_month(world: World) -> None:
    # beta: 200万 foreign, evidenced, 2025-03-15; another foreign project funded in February.
    gamma = make(world.jinniu, "外资二期", "signed", date(2025, 1, 5), capital_origin="foreign")
    project_services.add_funds(world.jinniu, gamma, date(2025, 2, 3), 72 * WAN, evidence="SWIFT 1")
    q1 = periods.parse("2025Q1")
    org = world.orgs["jinniu"].pk
    fig = actuals.figures(world.jinniu, [org], q1)[org]
    assert fig["funds_foreign"] == 272 * WAN
    assert fig["funds_foreign_usd"] == 0 and fig["funds_foreign_unconverted"] == 272 * WAN
    root = factories.superuser()
    with pytest.raises(Forbidden):
        rates.set_rate(world.jinniu, "2025-02", "7.2", "人民银行")
    with pytest.raises(Invalid) as caught:
        rates.set_rate(root, "2025Q1", "-1", "")
    assert set(caught.value.detail) == {"month", "rate", "source"}
    rates.set_rate(root, "2025-02", "7.2", "测试汇率")
    fig = actuals.figures(world.jinniu, [org], q1)[org]
    assert fig["funds_foreign_usd"] == D("100000.00")  # 72万 / 7.2
    assert fig["funds_foreign_unconverted"] == 200 * WAN  # March: 无汇率
    behind = actuals.funds_behind(world.jinniu, org, q1, "funds_foreign_unconverted")
    assert [f.received_on for f in behind] == [date(2025, 3, 15)]
    client = Client()
    client.force_login(world.jinniu)
    page = client.get(
        reverse("kpi:figure", args=[org, "funds_foreign"]), {"period": "2025Q1"}
    ).content.decode()
    assert "US$100,000.00" in page and "无汇率" in page
    rates.set_rate(root, "2025-03", "8", "测试汇率")
    fig = actuals.figures(world.jinniu, [org], q1)[org]
    assert fig["funds_foreign_usd"] == D("350000.00") and fig["funds_foreign_unconverted"] == 0
    # Targets may be set in US$.
    made = targets.set_target(
        world.city, world.orgs["jinniu"], "2025Q1", "funds_foreign_usd", 500000
    )
    assert made.value == 500000


@pytest.mark.django_db
def test_rate_page(world: World) -> None:
    client = Client()
    client.force_login(world.jinniu)
    assert client.post(reverse("kpi:rates"), {"month": "2025-03", "rate": "7"}).status_code == 403
    client.force_login(factories.superuser())
    bad = client.post(reverse("kpi:rates"), {"month": "2025-3x", "rate": "abc", "source": "x"})
    assert bad.status_code == 200 and "2025-03" in bad.content.decode()
    done = client.post(
        reverse("kpi:rates"),
        {"month": "2025-3", "rate": "7.1884", "source": "示例", "illustrative": "on"},
    )
    assert done.status_code == 302
    page = client.get(reverse("kpi:rates")).content.decode()
    assert "7.1884" in page and "示例数据" in page
