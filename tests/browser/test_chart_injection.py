"""Names that carry HTML or ECharts templates: every chart shows them as text, no script runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from parklink.accounts.models import Organization, User
from parklink.enterprises.models import Enterprise, EnterpriseSite
from parklink.parks.models import LinkageMember, Park, ParkIndicator, ParkLinkage
from parklink.projects.models import FundsInPlace, Project
from parklink.regions.models import Region
from tests.support.charts import HOSTILE, IMG, SCRIPT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Role fields are choices of at most 32 characters, but an import or the admin may store others.
SHORT_IMG = "<img src=x onerror=__xss=1>"
SHORT_SCRIPT = "<script>__xss=1</script>"
YI = Decimal(100_000_000)

# Shows the tooltip of every data item of every series of every chart on the page (ECharts'
# own action, as a hover does), waits for images to fail, and returns what the tooltips said.
HOVER_EVERY_ITEM = """
async () => {
  const pause = (ms) => new Promise((done) => setTimeout(done, ms));
  const said = [];
  let items = 0;
  for (const element of document.querySelectorAll('.pl-chart')) {
    const chart = echarts.getInstanceByDom(element);
    if (!chart) throw new Error('chart not drawn: ' + element.dataset.options);
    const series = [];
    chart.getModel().eachSeries((model) => series.push(model));
    for (const model of series) {
      for (let dataIndex = 0; dataIndex < model.getData().count(); dataIndex++) {
        chart.dispatchAction({type: 'showTip', seriesIndex: model.seriesIndex, dataIndex});
        items += 1;
        await pause(20);
        said.push(element.textContent);
      }
    }
    chart.dispatchAction({type: 'hideTip'});
  }
  await pause(300);
  return {items, said};
}
"""

# Pixel positions (in the page) of every node and every edge's midpoint of the graph charts.
GRAPH_POINTS = """
() => {
  const points = [];
  for (const element of document.querySelectorAll('.pl-chart')) {
    const chart = echarts.getInstanceByDom(element);
    const box = element.getBoundingClientRect();
    chart.getModel().eachSeriesByType('graph', (model) => {
      const data = model.getData();
      const at = (i) => data.getItemLayout(i);
      for (let i = 0; i < data.count(); i++) {
        points.push([box.x + at(i)[0], box.y + at(i)[1]]);
      }
      model.getGraph().edges.forEach((edge) => {
        const a = at(edge.node1.dataIndex), b = at(edge.node2.dataIndex);
        points.push([box.x + (a[0] + b[0]) / 2, box.y + (a[1] + b[1]) / 2]);
      });
    });
  }
  return points;
}
"""


@dataclass
class Hostile:
    """Records whose every user-text field that reaches a chart carries a payload."""

    admin: User
    park: Park
    linkage: ParkLinkage
    enterprise: Enterprise
    project: Project


def _hostile_world() -> Hostile:
    region = Region.objects.get(adcode="510106")
    org = Organization.objects.create(name="金牛区投促局(测试)", kind="government", region=region)
    park = Park.objects.create(
        owner=org,
        name=HOSTILE,
        region=region,
        kind="industrial_park",
        carrier_built_m2=Decimal("1000"),
        carrier_occupied_m2=Decimal("800"),
    )
    sub = Park.objects.create(
        owner=org,
        name="子园区",
        short_name=IMG,
        region=region,
        kind="industrial_park",
        parent=park,
    )
    other = Park.objects.create(owner=org, name=SCRIPT, region=region, kind="industrial_park")
    for year in (2023, 2024):
        ParkIndicator.objects.create(
            park=park, year=year, indicator="gdp", value=Decimal(year) * YI, unit="元"
        )
    linkage = ParkLinkage.objects.create(owner=org, name=HOSTILE)
    LinkageMember.objects.create(linkage=linkage, park=park, role=SHORT_IMG, order=0)
    LinkageMember.objects.create(linkage=linkage, park=sub, role=SHORT_SCRIPT, order=1)
    second = ParkLinkage.objects.create(owner=org, name=SCRIPT + "{b}{a|x}")
    LinkageMember.objects.create(linkage=second, park=other, role="rnd_incubation", order=0)
    LinkageMember.objects.create(linkage=second, park=park, role=SHORT_SCRIPT, order=1)
    enterprise = Enterprise.objects.create(owner=org, name=HOSTILE, region=region)
    EnterpriseSite.objects.create(enterprise=enterprise, park=park, role=SHORT_IMG)
    EnterpriseSite.objects.create(enterprise=enterprise, region=region, role=SHORT_SCRIPT)
    on = timezone.localdate()
    project = Project.objects.create(
        owner=org,
        name=HOSTILE,
        code_name=SCRIPT,
        park=park,
        region=region,
        investor=enterprise,
        sector=IMG,
        total_investment=12 * YI,
        responsible_leader=SCRIPT,
        task_force=IMG,
        mechanism=HOSTILE,
        stage="signed",
        stage_since=on - timedelta(days=10),
        signed_on=on - timedelta(days=10),
        last_progress_on=on - timedelta(days=10),
    )
    Project.objects.create(
        owner=org,
        name=SCRIPT,
        park=sub,
        region=region,
        sector=HOSTILE[:64],
        total_investment=3 * YI,
        responsible_leader=IMG,
        stage="started",
        stage_since=on - timedelta(days=40),
        signed_on=on - timedelta(days=60),
        last_progress_on=on - timedelta(days=40),
    )
    for days, amount in ((30, 2), (5, 3)):
        FundsInPlace.objects.create(
            project=project, received_on=on - timedelta(days=days), amount=amount * YI
        )
    admin = User.objects.create_superuser("root_xss", "root@example.org", "pw-browser")
    return Hostile(admin, park, linkage, enterprise, project)


class TestUserTextInCharts:
    def test_no_chart_runs_script_from_user_text(
        self, page: Any, live_server: Any, login: Callable[..., None], transactional_db: Any
    ) -> None:
        world = _hostile_world()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        login(page, world.admin)
        pages = {
            "/": 5,
            f"/parks/{world.park.pk}/": 5,
            f"/parks/linkages/{world.linkage.pk}/": 1,
            f"/enterprises/{world.enterprise.pk}/": 1,
            f"/projects/{world.project.pk}/": 1,
        }
        tooltips: list[str] = []
        for path, count in pages.items():
            page.goto(live_server.url + path)
            charts = page.locator(".pl-chart")
            assert charts.count() == count, path
            page.locator('.pl-chart[data-rendered="true"]').nth(count - 1).wait_for()
            hovered = page.evaluate(HOVER_EVERY_ITEM)
            assert hovered["items"] >= count, path
            tooltips.extend(hovered["said"])
            for x, y in page.evaluate(GRAPH_POINTS):
                page.mouse.move(x, y)
                page.wait_for_timeout(60)
                tooltips.append(
                    page.locator(".pl-chart").evaluate_all(
                        "(charts) => charts.map((c) => c.textContent).join('')"
                    )
                )
            page.wait_for_timeout(300)
            assert page.evaluate("window.__xss") is None, path
            assert not dialogs, path
        said = "\n".join(tooltips)
        # The payloads were on screen, as text: the linkage roles, the park and sector names.
        assert f"{HOSTILE}:{SHORT_IMG}" in said
        assert SHORT_SCRIPT in said
        assert IMG in said
        assert "{b}{a|x}" in said
