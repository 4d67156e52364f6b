"""Every main page on a phone (390 × 844) and under axe-core, over the demo set.

- Small screens: no page scrolls sideways at 390 px, its key controls are on screen, and no
  chart's legend covers its plot.
- Accessibility: axe-core (npm, `node_modules/axe-core`, never served to users) finds no
  serious or critical violation (WCAG 2.x AA, as GB/T 37668-2019 asks of government sites).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from parklink.accounts.models import User
from parklink.chains.models import ChainTemplate
from parklink.cobuild.models import Enclave, Run
from parklink.engagements.models import Engagement, EngagementKind
from parklink.enterprises.models import Enterprise
from parklink.intel.models import Document, Item
from parklink.kpi.models import Assessment
from parklink.kpi.models_liaison import LiaisonOffice
from parklink.kpi.models_surveys import Survey
from parklink.matching.models import Event, Listing, Policy
from parklink.matching.models_finance import Bank
from parklink.matching.models_promotion import Publication
from parklink.matching.models_siting import SitingNeeds
from parklink.parks.models import Park, ParkLinkage
from parklink.positioning.models import Dataset
from parklink.projects.models import Project
from tests.browser.conftest import DemoReader, World

pytestmark = [pytest.mark.browser]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Page:
    """A page to check: how to reach it, and what must be visible on it."""

    name: str
    path: Callable[[], str]
    controls: tuple[str, ...]
    logged_in: bool = True
    user: Callable[[], User] | None = None  # who signs in (the installation admin by default)


def _largest_project() -> Project:
    project = (
        Project.objects.filter(park__isnull=False, total_investment__isnull=False)
        .exclude(funds__isnull=True)
        .order_by("-total_investment", "pk")
        .first()
    ) or Project.objects.order_by("-total_investment", "pk").first()
    assert project is not None
    return project


def _busiest_park() -> Park:
    park = Park.objects.filter(name="张掖经开区").first() or Park.objects.order_by("pk").first()
    assert park is not None
    return park


def _linkage() -> ParkLinkage:
    linkage = ParkLinkage.objects.order_by("pk").first()
    assert linkage is not None
    return linkage


def _enterprise() -> Enterprise:
    enterprise = Enterprise.objects.order_by("pk").first()
    assert enterprise is not None
    return enterprise


def _confirmed_run() -> Run:
    run = Run.objects.filter(status="confirmed").order_by("pk").first()
    assert run is not None, "the demo settles one co-built park period"
    return run


def _statement() -> str:
    run = _confirmed_run()
    party = run.agreement.parties.order_by("order").first()
    assert party is not None
    return f"/cobuild/{run.agreement_id}/statements/{run.period_label}/{party.key}/"


def _enclave() -> Enclave:
    enclave = Enclave.objects.order_by("pk").first()
    assert enclave is not None, "the demo has the 仙居 innovation enclave"
    return enclave


def _hydrogen() -> ChainTemplate:
    template = ChainTemplate.objects.filter(key="hydrogen").order_by("pk").first()
    assert template is not None, "the shipped hydrogen template is installed"
    return template


def _article() -> Document:
    document = Document.objects.order_by("pk").first()
    assert document is not None, "the demo queues one illustrative article"
    return document


def _queued_item() -> Item:
    item = Item.objects.order_by("pk").first()
    assert item is not None
    return item


def _dataset() -> Dataset:
    dataset = Dataset.objects.order_by("pk").first()
    assert dataset is not None, "the demo has a synthetic county table"
    return dataset


def _listing() -> Listing:
    listing = Listing.objects.order_by("pk").first()
    assert listing is not None, "the demo posts illustrative supply and demand listings"
    return listing


def _event() -> Event:
    event = Event.objects.order_by("pk").first()
    assert event is not None
    return event


def _policy() -> Policy:
    policy = Policy.objects.order_by("pk").first()
    assert policy is not None, "the demo links the 金什 shared policies"
    return policy


def _assessment() -> Assessment:
    assessment = Assessment.objects.order_by("pk").first()
    assert assessment is not None, "the demo assesses its organisations (illustrative targets)"
    return assessment


# The navigation is reachable: the 菜单 button on a phone, a menu or a link on a wide screen.
NAV = "header :is(.pl-nav__toggle, nav summary, nav a):visible"


def _bank_staff() -> User:
    bank = Bank.objects.exclude(organization=None).order_by("pk").first()
    assert bank is not None, "the demo has no bank with an organisation"
    found = User.objects.filter(organization_id=bank.organization_id).order_by("pk").first()
    assert found is not None, "the demo bank has no staff"
    return found


def _ceremony() -> Engagement:
    found = Engagement.objects.filter(kind=EngagementKind.SIGNING).first()
    assert found is not None, "the demo has no signing ceremony"
    return found


def _survey() -> Survey:
    found = Survey.objects.order_by("pk").first()
    assert found is not None, "the demo has no survey"
    return found


def _office() -> LiaisonOffice:
    found = LiaisonOffice.objects.order_by("pk").first()
    assert found is not None, "the demo has no liaison office"
    return found


def _department() -> Any:
    from parklink.kpi.models_departments import Department

    found = Department.objects.filter(name="招商一局").order_by("pk").first()
    assert found is not None, "the demo has no department"
    return found


def _department_member() -> User:
    return User.objects.get(username="cdht_committee")


def _sited_project_id() -> int:
    found = SitingNeeds.objects.order_by("pk").first()
    assert found is not None, "the demo sites no project"
    return int(found.project_id)


def _published_park_id() -> int:
    found = Publication.objects.filter(park__isnull=False).order_by("pk").first()
    assert found is not None, "the demo publishes no park"
    return int(found.park_id)


PAGES = [
    Page("login", lambda: "/login/", ("input[name=username]", "#login-form button"), False),
    Page("dashboard", lambda: "/", ("h1", NAV, ".pl-chart")),
    Page("project list", lambda: "/projects/", ("input[name=q]", "#project-table")),
    Page("project detail", lambda: f"/projects/{_largest_project().pk}/", ("h1", "#timeline")),
    Page("project form", lambda: "/projects/new/", ("input[name=name]", "form [type=submit]")),
    Page(
        "project edit",
        lambda: f"/projects/{_largest_project().pk}/edit/",
        ("input[name=name]", "form [type=submit]"),
    ),
    Page("park list", lambda: "/parks/", ("h1", "table")),
    Page("park detail", lambda: f"/parks/{_busiest_park().pk}/", ("h1", "#tree-chart")),
    Page("linkage list", lambda: "/parks/linkages/", ("h1",)),
    Page("linkage detail", lambda: f"/parks/linkages/{_linkage().pk}/", ("h1",)),
    Page("enterprise list", lambda: "/enterprises/", ("h1", "table")),
    Page("enterprise detail", lambda: f"/enterprises/{_enterprise().pk}/", ("h1",)),
    Page("search", lambda: "/search/?q=gaode", ("h1", "main input[name=q]")),
    Page("import", lambda: "/import/", ("h1", "input[type=file]")),
    Page("account", lambda: "/account/", ("h1",)),
    Page("members", lambda: f"/account/members/?org={_busiest_park().owner_id}", ("h1", "table")),
    Page("agreement list", lambda: "/cobuild/", ("h1", "table")),
    Page("agreement detail", lambda: f"/cobuild/{_confirmed_run().agreement_id}/", ("h1",)),
    Page(
        "agreement rules",
        lambda: f"/cobuild/{_confirmed_run().agreement_id}/versions/1/rules/",
        ("h1",),
    ),
    Page("ledger runs", lambda: f"/cobuild/{_confirmed_run().agreement_id}/runs/", ("h1",)),
    Page(
        "ledger run",
        lambda: f"/cobuild/{_confirmed_run().agreement_id}/runs/{_confirmed_run().pk}/",
        ("h1", ".pl-chart"),
    ),
    Page("statement", _statement, ("h1", "table")),
    Page("two views", lambda: f"/cobuild/{_confirmed_run().agreement_id}/views/", ("h1",)),
    Page(
        "covered enterprises",
        lambda: f"/cobuild/{_confirmed_run().agreement_id}/enterprises/",
        ("h1",),
    ),
    Page("enclave list", lambda: "/cobuild/enclaves/", ("h1",)),
    Page("enclave form", lambda: f"/cobuild/enclaves/{_enclave().pk}/edit/", ("h1", "form")),
    Page("chains", lambda: "/chains/", ("h1",)),
    Page(
        "chain map",
        lambda: f"/chains/map/?place=park:{_busiest_park().pk}&chain=hydrogen",
        ("h1", ".pl-chart"),
    ),
    Page(
        "chain targets",
        lambda: "/chains/targets/?place=region:510106&chain=photovoltaics",
        ("h1",),
    ),
    Page(
        "chain compare",
        lambda: "/chains/compare/?chain=aviation&place=region:510106&place=region:510682",
        ("h1",),
    ),
    Page("metro area", lambda: "/chains/metro/chengdu_metro/", ("h1",)),
    Page("chain accuracy", lambda: "/chains/accuracy/", ("h1",)),
    Page("chain template", lambda: f"/chains/templates/{_hydrogen().pk}/", ("h1",)),
    Page("positioning", lambda: "/positioning/", ("h1",)),
    Page(
        "positioning place",
        lambda: f"/positioning/?dataset={_dataset().pk}&place=510682&measure=count&digits=2",
        ("h1", ".pl-chart"),
    ),
    Page("industry systems", lambda: "/positioning/systems/", ("h1",)),
    Page("metro areas", lambda: "/chains/metros/", ("h1",)),
    Page("intel queue", lambda: "/intel/", ("h1",)),
    Page("intel articles", lambda: "/intel/documents/", ("h1",)),
    Page("intel ingest", lambda: "/intel/ingest/", ("h1", "textarea")),
    Page("intel article", lambda: f"/intel/documents/{_article().pk}/", ("h1",)),
    Page("intel item", lambda: f"/intel/items/{_queued_item().pk}/", ("h1", "form")),
    Page("intel quality", lambda: "/intel/quality/", ("h1",)),
    Page("matching", lambda: "/matching/", ("h1",)),
    Page("listing", lambda: f"/matching/listings/{_listing().pk}/", ("h1",)),
    Page("listing form", lambda: "/matching/listings/new/", ("h1", "form")),
    Page("matchmaking event", lambda: f"/matching/events/{_event().pk}/", ("h1",)),
    Page("policies", lambda: "/matching/policies/", ("h1",)),
    Page("policy", lambda: f"/matching/policies/{_policy().pk}/", ("h1",)),
    Page("financing", lambda: "/matching/finance/", ("h1",)),
    Page("financing needs", lambda: "/matching/finance/needs/", ("h1",)),
    Page("financing figures", lambda: "/matching/finance/figures/", ("h1",)),
    Page("kpi ranking", lambda: "/kpi/?scheme=city-districts&period=2025Q1", ("h1",)),
    Page("assessment", lambda: f"/kpi/assessments/{_assessment().pk}/", ("h1",)),
    Page(
        "figure projects",
        lambda: (
            f"/kpi/orgs/{_assessment().organization_id}/figures/signed_count/"
            f"?period={_assessment().period}"
        ),
        ("h1",),
    ),
    Page("schemes", lambda: "/kpi/schemes/", ("h1",)),
    Page("scheme", lambda: "/kpi/schemes/city-districts/?period=2025Q1", ("h1",)),
    Page("scheme form", lambda: "/kpi/schemes/new/?from=county-introduced", ("h1", "form")),
    Page("targets", lambda: "/kpi/targets/", ("h1",)),
    Page("problem list", lambda: "/projects/problems/", ("h1",)),
    Page("project ledger", lambda: "/projects/ledger/", ("h1", "form")),
    Page("project map", lambda: "/projects/map/", ("h1", ".pl-chart")),
    Page("engagements", lambda: "/engagements/", ("h1",)),
    Page("engagement form", lambda: "/engagements/new/", ("h1", "form")),
    Page("engagement", lambda: f"/engagements/{_ceremony().pk}/", ("h1",)),
    Page("follow-ups", lambda: "/engagements/follow-ups/?all=1", ("h1",)),
    Page("contacts", lambda: "/engagements/contacts/", ("h1",)),
    Page("contact form", lambda: "/engagements/contacts/new/", ("h1", "form")),
    Page(
        "attachments",
        lambda: f"/attachments/projects.project/{_largest_project().pk}/",
        ("h1", "form"),
    ),
    Page("reminders", lambda: "/reminders/", ("h1",)),
    Page("reminder settings", lambda: "/reminders/settings/", ("h1", "form")),
    Page("robots", lambda: "/reminders/webhooks/", ("h1",)),
    Page("surveys", lambda: "/kpi/surveys/", ("h1",)),
    Page("survey", lambda: f"/kpi/surveys/{_survey().pk}/", ("h1",)),
    Page("help requests", lambda: "/kpi/help/", ("h1",)),
    Page("liaison offices", lambda: "/kpi/offices/", ("h1",)),
    Page("liaison office", lambda: f"/kpi/offices/{_office().pk}/", ("h1",)),
    Page("kpi reports", lambda: "/kpi/reports/", ("h1",)),
    Page("exchange rates", lambda: "/kpi/rates/", ("h1",)),
    Page("findings", lambda: "/kpi/findings/", ("h1",)),
    Page("departments", lambda: "/kpi/departments/", ("h1",)),
    Page(
        "department",
        lambda: f"/kpi/departments/{_department().pk}/?period=2025Q1",
        ("h1",),
        user=_department_member,
    ),
    Page(
        "department ranking",
        lambda: "/kpi/?scheme=city-districts&period=2025Q1&subject=task_force",
        ("h1",),
    ),
    Page("siting", lambda: "/matching/siting/", ("h1",)),
    Page("siting ranks", lambda: f"/matching/siting/projects/{_sited_project_id()}/", ("h1",)),
    Page(
        "siting compare",
        lambda: f"/matching/siting/projects/{_sited_project_id()}/compare/",
        ("h1",),
    ),
    Page("promotion", lambda: "/matching/promote/", ("h1",)),
    Page("enquiries", lambda: "/matching/promote/enquiries/", ("h1",)),
    Page(
        "public park page",
        lambda: f"/matching/promote/parks/{_published_park_id()}/",
        ("h1", "form"),
        False,
    ),
    Page(
        "bank product form",
        lambda: "/matching/finance/products/new/",
        ("h1", "form"),
        user=_bank_staff,
    ),
]

# Charts are ready once each has an ECharts instance and its entry animation has ended.
CHARTS_READY = """() => [...document.querySelectorAll('.pl-chart')].every(
  (el) => el.getAttribute('data-rendered') === 'true')"""


# WCAG 2.0/2.1 A and AA rules plus axe's best practices; only serious and critical findings,
# each node with the first line of axe's reason (the colours and ratio for contrast).
AXE_RUN = """async () => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations
    .filter((v) => ['serious', 'critical'].includes(v.impact))
    .map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map(
      (n) => [n.target.join(' '), n.failureSummary.split('\\n').slice(1, 2).join('')])}));
}"""


CHART_LABELS = """() => [...document.querySelectorAll('.pl-chart')].map(
  (el) => [el.getAttribute('role'), el.getAttribute('aria-label') || ''])"""


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """What axe-core finds serious or critical on the page as it stands."""
    assert AXE.is_file(), f"{AXE} missing: run `npm ci` (axe-core is a dev dependency)"
    page.add_script_tag(path=str(AXE))
    return list(page.evaluate(AXE_RUN))


def _admin() -> User:
    return User.objects.get(is_superuser=True)


def _open(page: Any, server: Any, login: Callable[..., None], target: Page) -> None:
    if target.logged_in:
        login(page, target.user() if target.user else _admin())
    response = page.goto(f"{server.url}{target.path()}")
    assert response is not None and response.status == 200, target.name
    page.wait_for_load_state("load")
    page.wait_for_function(CHARTS_READY)


def _ids(pages: list[Page]) -> list[str]:
    return [p.name.replace(" ", "-") for p in pages]


@pytest.fixture
def phone(browser: Any, server: Any) -> Iterator[Any]:
    """A page in a fresh context the size of a phone (390 × 844), Chinese locale."""
    context = browser.new_context(
        locale="zh-CN", viewport=PHONE, base_url=server.url, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


# What sticks out past the right edge of a 390 px page: the outermost such elements.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  // An element inside a container that scrolls or clips sideways cannot widen the page.
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(up).overflowX)) {
        return true;
      }
    }
    return false;
  };
  const wide = [...document.querySelectorAll('body *')].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 0.5 && !clipped(el);
  });
  return wide.filter((el) => !wide.includes(el.parentElement)).slice(0, 8).map(
    (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' +
      [...el.classList].join('.') + ' right=' + Math.round(el.getBoundingClientRect().right));
}"""


# Per chart with a legend: the legend's box and the plot's box (a grid's rectangle, or the
# drawn series' bounds), in the chart's pixels; ECharts' own models and views measure them.
LEGEND_AND_PLOT = """() => [...document.querySelectorAll('.pl-chart')].flatMap((el) => {
  const chart = echarts.getInstanceByDom(el);
  const model = chart.getModel();
  const legend = model.getComponent('legend');
  if (!legend || legend.get('show') === false) return [];
  const box = (group) => {
    const rect = group.getBoundingRect().clone();
    rect.applyTransform(group.getComputedTransform());
    return {x: rect.x, y: rect.y, width: rect.width, height: rect.height};
  };
  // A scrolling legend's group holds every item; only what fits the chart is drawn.
  const drawn = box(chart.getViewOfComponentModel(legend).group);
  const right = Math.min(drawn.x + drawn.width, chart.getWidth());
  const bottom = Math.min(drawn.y + drawn.height, chart.getHeight());
  const legendBox = {x: Math.max(drawn.x, 0), y: Math.max(drawn.y, 0)};
  legendBox.width = right - legendBox.x;
  legendBox.height = bottom - legendBox.y;
  const plots = model.getSeries().map((series) => {
    const grid = series.coordinateSystem && series.coordinateSystem.master;
    if (grid && grid.getRect) return grid.getRect();
    const view = chart.getViewOfSeriesModel(series);
    return box(view.group);
  }).filter((b) => b.width > 0 && b.height > 0);
  return plots.map((plot) => ({chart: el.getAttribute('data-options'), legend: legendBox, plot}));
})"""


# Per chart, the boxes of the category-axis labels ECharts has drawn (hidden ones left out).
AXIS_LABELS = """() => [...document.querySelectorAll('.pl-chart')].flatMap((el) => {
  const chart = echarts.getInstanceByDom(el);
  const axes = chart.getModel().findComponents({mainType: 'xAxis'});
  return axes.filter((axis) => axis.get('type') === 'category').map((axis) => {
      const boxes = [];
      chart.getViewOfComponentModel(axis).group.traverse((shape) => {
        if (shape.type !== 'text' || shape.ignore || shape.invisible || !shape.style.text) return;
        const rect = shape.getBoundingRect().clone();
        rect.applyTransform(shape.getComputedTransform());
        boxes.push({x: rect.x, y: rect.y, width: rect.width, height: rect.height,
                    text: shape.style.text});
      });
      return {chart: el.getAttribute('data-options'), labels: boxes};
    });
})"""


def _overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """The area two boxes share (0 when they only touch)."""
    width = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
    height = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
    return max(width, 0) * max(height, 0)


class TestPhoneSizedScreens(DemoReader):
    @pytest.mark.parametrize("target", PAGES, ids=_ids(PAGES))
    def test_page_fits_390_px_with_its_controls_on_screen(
        self,
        phone: Any,
        server: Any,
        login: Callable[..., None],
        demo_world: World,
        target: Page,
    ) -> None:
        _open(phone, server, login, target)
        scroll_width = phone.evaluate("document.scrollingElement.scrollWidth")
        assert scroll_width <= PHONE["width"], phone.evaluate(OVERFLOWING)
        for selector in target.controls:
            control = phone.locator(selector).first
            assert control.is_visible(), f"{selector} hidden on {target.name}"
            box = control.bounding_box()
            assert box["x"] >= 0 and box["x"] < PHONE["width"], f"{selector} off screen"
        for pair in phone.evaluate(LEGEND_AND_PLOT):
            assert _overlap(pair["legend"], pair["plot"]) == 0, pair
        for axis in phone.evaluate(AXIS_LABELS):
            labels = axis["labels"]
            for left, right in pairwise(labels):
                assert _overlap(left, right) == 0, (axis["chart"], left, right)
        # The phone layout (collapsed header, stacked filters) passes axe-core too.
        results = serious_violations(phone)
        assert not results, json.dumps(results, ensure_ascii=False, indent=1)


class TestAccessibility(DemoReader):
    @pytest.mark.parametrize("target", PAGES, ids=_ids(PAGES))
    def test_axe_finds_no_serious_violation(
        self,
        page: Any,
        server: Any,
        login: Callable[..., None],
        demo_world: World,
        target: Page,
    ) -> None:
        _open(page, server, login, target)
        results = serious_violations(page)
        found = sum(len(v["nodes"]) for v in results)
        assert found == 0, json.dumps(results, ensure_ascii=False, indent=1)
        # Charts are canvas: each is an image named after its card, described by its data.
        for role, label in page.evaluate(CHART_LABELS):
            name, _, description = label.partition(":")
            assert role == "img" and name.strip() and "图表" in description, label
