"""The demo's co-built park agreements: the articles' facts, illustrative rules and figures
kept apart, loaded through the document loader; one period settled and confirmed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from parklink.accounts.models import User
from parklink.cobuild import exports
from parklink.cobuild.models import (
    Agreement,
    Allocation,
    Confirmation,
    CoveredEnterprise,
    Enclave,
    Record,
    RecordBatch,
    Rule,
    Run,
    RunStatus,
)
from parklink.cobuild.services import documents, statements
from parklink.core import demo as runner
from parklink.core.demo import load_demo
from parklink.core.sources import sources_of
from parklink.parks.models import Park

JINSHI = "共同推动成德眉资同城化发展缔结融合发展战略合作协议"
GAODE = "成都高新区管委会 德格县人民政府共建产业园区合作协议"


def clear_cobuild() -> None:
    """Delete the demo's agreements and enclaves and all under them (they protect organisations)."""
    Run.objects.update(previous=None)
    for model in (Confirmation, Allocation, Run, Record, RecordBatch, Rule, CoveredEnterprise):
        model.objects.all().delete()
    Agreement.objects.all().delete()
    Enclave.objects.all().delete()  # with its tenancies and introductions


def _rows_counts() -> dict[Any, int]:
    """The largest primary key of every ParkLink model with an integer key (0 when empty)."""
    from django.apps import apps
    from django.db.models import Max

    found: dict[Any, int] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("parklink.") or model._meta.proxy:
            continue
        if model._meta.pk.get_internal_type() not in ("AutoField", "BigAutoField"):
            continue
        found[model] = model._base_manager.aggregate(top=Max("pk"))["top"] or 0
    return found


def clear_demo(before: dict[Any, int]) -> None:
    """Delete every row the demo added (a key above what each table held before it), whatever
    app made it: rows that protect others go once those are gone."""
    clear_cobuild()
    _sweep(before)
    # Deleting a tracked row writes a history row ("-"): a second sweep removes those too.
    _sweep(before)


def _sweep(before: dict[Any, int]) -> None:
    from django.db import IntegrityError, transaction
    from django.db.models import ProtectedError, RestrictedError

    pending = [model for model in before]
    blockers: dict[Any, set[str]] = {}
    for _round in range(20):
        left = []
        for model in pending:
            try:
                with transaction.atomic():
                    rows = model._base_manager.filter(pk__gt=before[model])
                    if model is Park:  # a park protects its children: leaves first
                        while rows.exists():
                            rows.filter(children__isnull=True).delete()
                    rows.delete()
            except (ProtectedError, RestrictedError) as error:
                left.append(model)
                blockers[model] = {type(o).__name__ for o in list(error.args[1])[:50]}
            except IntegrityError:
                left.append(model)
        if not left:
            return
        pending = left
    raise AssertionError(f"the demo's rows could not be deleted: {pending} {blockers}")


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    with django_db_blocker.unblock():
        before = _rows_counts()
        report = load_demo()
        yield report
        clear_demo(before)


@pytest.mark.django_db
class TestDemoAgreements:
    def test_two_agreements_from_the_articles(self, demo: Any) -> None:
        assert demo.created["agreements"] == 2
        assert set(Agreement.objects.values_list("title", flat=True)) == {JINSHI, GAODE}
        assert set(Agreement.objects.values_list("status", flat=True)) == {"in_force"}

    def test_jinshi_joint_venture_equity_policies_and_division(self, demo: Any) -> None:
        jinshi = Agreement.objects.get(title=JINSHI)
        assert [(p.key, p.organization.name) for p in jinshi.parties.all()] == [
            ("jinniu", "金牛区人民政府"),
            ("shifang", "什邡市人民政府"),
        ]
        company = jinshi.companies.get()
        assert company.name == "交子恒新科技发展有限责任公司"
        assert [(s.shareholder_name, s.share) for s in company.shares.all()] == [
            ("金牛区城投集团", "3/5"),
            ("什邡市恒新公司", "2/5"),
        ]
        assert sorted(jinshi.policies.values_list("name", "issued_by__key")) == [
            ("什邡市招商优惠政策", "shifang"),
            ("金牛区招商优惠政策", "jinniu"),
        ]
        assert jinshi.division_mode == "hq_production"
        assert jinshi.division_note == "总部研发在金牛、生产制造在什邡"
        assert [p.name for p in jinshi.parks.all()] == ["金什合作产业园"]
        # The article counts 11 fields but names none: none is invented.
        assert not jinshi.cooperation_fields.exists() and "11个合作领域" in jinshi.description

    def test_gaode_fields_policy_and_three_parks(self, demo: Any) -> None:
        gaode = Agreement.objects.get(title=GAODE)
        assert list(gaode.cooperation_fields.values_list("name", flat=True)) == [
            "科技创新", "清洁能源", "文化旅游", "有机农牧", "中藏药", "数字经济",
        ]  # fmt: skip
        assert gaode.policies.get().issued_by.key == "dege"
        assert "三园联动" in gaode.division_note
        assert str(gaode.signed_on) == "2025-03-21"

    def test_every_illustrative_part_is_flagged_and_no_fact_is(self, demo: Any) -> None:
        assert not Rule.objects.filter(illustrative=False).exists()
        for rule in Rule.objects.all():
            assert rule.note.startswith("示例数据 / illustrative"), rule.key
        assert not CoveredEnterprise.objects.filter(illustrative=False).exists()
        assert not RecordBatch.objects.filter(illustrative=False).exists()

    def test_the_facts_cite_the_articles(self, demo: Any) -> None:
        for agreement in Agreement.objects.all():
            assert sources_of(agreement).exists()
            for item in [*agreement.companies.all(), *agreement.policies.all()]:
                assert sources_of(item).exists(), item

    def test_one_period_confirmed_by_both_parties_one_draft(self, demo: Any) -> None:
        jinshi = Agreement.objects.get(title=JINSHI)
        confirmed = jinshi.runs.get(status=RunStatus.CONFIRMED)
        assert confirmed.period_label == "2023Q3"
        assert sorted(confirmed.confirmations.values_list("user__username", flat=True)) == [
            "jinniu_gov",
            "shifang_gov",
        ]
        assert jinshi.runs.get(status=RunStatus.DRAFT).period_label == "2023Q4"
        assert confirmed.unmatched == []

    def test_the_statement_says_illustrative(self, demo: Any) -> None:
        jinshi = Agreement.objects.get(title=JINSHI)
        run = jinshi.runs.get(status=RunStatus.CONFIRMED)
        found = statements.statement(jinshi, run, statements.find_party(jinshi, "jinniu"))
        text = exports.render(found, "csv").decode("utf-8-sig")
        assert text.startswith("示例数据 / illustrative")

    def test_a_dumped_demo_agreement_loads_back_identically(self, demo: Any) -> None:
        gaode = Agreement.objects.get(title=GAODE)
        text = documents.dump(gaode)
        assert yaml.safe_load(text)["owner"] == "成都高新区管委会"
        admin = User.objects.get(username=runner.DEMO_ADMIN)
        data = documents.read_text(text)
        data["title"] = GAODE + "(副本)"
        copy = documents.load(admin, data)
        assert documents.dump(copy) == text.replace(GAODE, GAODE + "(副本)", 1)

    def test_second_load_changes_nothing(self, demo: Any) -> None:
        """The co-built parks' steps create nothing the second time (other apps' steps answer
        for themselves in their own tests)."""
        counts = [m.objects.count() for m in (Agreement, Rule, Record, Run, Confirmation, Enclave)]
        again = load_demo()
        ours = {
            "agreements",
            "cobuild records",
            "cobuild runs",
            "enclaves",
            "enclave introductions",
        }
        assert {key: n for key, n in again.created.items() if key in ours and n} == {}
        assert counts == [
            m.objects.count() for m in (Agreement, Rule, Record, Run, Confirmation, Enclave)
        ]
