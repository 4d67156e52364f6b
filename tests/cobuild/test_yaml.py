"""The agreement document: `parklink cobuild load|dump`, services.documents."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from parklink.accounts.models import Organization, User
from parklink.cobuild.models import (
    Agreement,
    CooperationField,
    CoveredEnterprise,
    EquityShare,
    Rule,
)
from parklink.cobuild.services import details, documents, lifecycle, rules, versions
from parklink.cobuild.services.details import ShareSpec
from parklink.core.sources import cite, sources_of
from parklink.enterprises.models import Enterprise
from tests.cobuild import support
from tests.support import factories
from tests.support.import_files import make_uscc


def full_agreement(users: dict[str, User], orgs: dict[str, Organization]) -> Agreement:
    """Every part a document holds: companies, fields, policies, enterprises, two versions with
    rules of every scope, a signed and in-force status, and citations."""
    by = users["jinniu"]
    made = support.agreement(by, orgs["jinniu"], orgs["dege"], effective_from=date(2024, 1, 1))
    park = factories.park(orgs["dege"], "金德合作产业园", kind="cobuilt_park")
    from parklink.cobuild.services import agreements

    agreements.update_agreement(
        by,
        made,
        parks=[park],
        division_note="总部研发在金牛、生产制造在德格",
        term_start=date(2024, 1, 1),
    )
    cite(made, [{"file": "agreement.pdf", "quote": "双方共建产业园"}])
    jinniu, dege = made.parties.get(key="jinniu"), made.parties.get(key="dege")
    with_code = factories.enterprise(orgs["dege"], "有代码企业有限公司", uscc=make_uscc(7))
    plain = factories.enterprise(orgs["jinniu"], "无代码企业有限公司")
    company = details.save_company(
        by,
        made,
        name="金德恒新公司",
        enterprise=plain,
        shares=[
            ShareSpec(dege, "40%", "德格城投", None),
            ShareSpec(jinniu, "0.6", "金牛区城投集团", None),
            ShareSpec(jinniu, "1/2", "", date(2025, 7, 1)),
            ShareSpec(dege, "1/2", "", date(2025, 7, 1)),
        ],
    )
    cite(company, [{"file": "agreement.pdf", "quote": "按照6∶4入股"}])
    details.save_field(by, made, name="产业共育")
    details.save_field(by, made, name="人才交流")
    details.save_policy(by, made, name="金牛区招商优惠政策", issued_by=jinniu, note="同步享受")
    details.save_policy(by, made, name="园区共享政策")
    details.save_covered(
        by,
        made,
        enterprise=with_code,
        introduced_by=jinniu,
        settled_on=date(2024, 3, 1),
        production_on=date(2024, 6, 1),
        illustrative=True,
    )
    details.save_covered(by, made, enterprise=plain, moved_on=date(2024, 2, 1))
    v1 = made.versions.get(number=1)
    rules.save_rule(
        by,
        v1,
        key="vat",
        indicator="vat_local",
        kind="fixed_ratio",
        params={"shares": {"jinniu": "3/5", "dege": "2/5"}},
        illustrative=True,
        note="示例",
    )
    rules.save_rule(
        by,
        v1,
        key="vat-jinniu",
        indicator="vat_local",
        scope_kind="introduced_by",
        scope_party=jinniu,
        kind="stepped",
        params={
            "anchor": "production",
            "steps": [
                {"years": [1, 3], "shares": {"jinniu": "70%", "dege": "30%"}},
                {"years": [4, None], "shares": {"jinniu": "50%", "dege": "50%"}},
            ],
        },
    )
    rules.save_rule(
        by,
        v1,
        key="cit-equity",
        indicator="cit_local",
        kind="equity_share",
        params={"equity": [{"from": "2024-01-01", "shares": {"jinniu": "3/5", "dege": "2/5"}}]},
    )
    rules.save_rule(
        by,
        v1,
        key="cit-list",
        indicator="cit_local",
        scope_kind="list",
        enterprises=[plain, with_code],
        kind="fixed_ratio",
        params={"shares": {"jinniu": "1/2", "dege": "1/2"}},
    )
    lifecycle.transition(by, made, "signed", on=date(2024, 1, 5), note="签约")
    lifecycle.transition(by, made, "in_force", on=date(2024, 2, 1))
    v2 = versions.amend(by, made, date(2025, 1, 1), note="第一次修订")
    rules.save_rule(
        by,
        v2,
        key="out-one",
        indicator="output",
        scope_kind="enterprise",
        enterprises=[with_code],
        kind="fixed_ratio",
        params={"shares": {"jinniu": "1/2", "dege": "1/2"}},
    )
    rules.delete_rule(by, v2.rules.get(key="cit-list"))
    made.refresh_from_db()
    return made


def rename(made: Agreement) -> None:
    """Make room for a second copy drafted by the same organisation."""
    Agreement.objects.filter(pk=made.pk).update(title=made.title + "(原)")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def fail(*args: str) -> tuple[str, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return str(caught.value), err.getvalue()


def minimal(orgs: dict[str, Organization], **changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "title": "最小协议",
        "parties": [
            {"key": "jinniu", "organization": orgs["jinniu"].name, "roles": ["source"]},
            {"key": "dege", "organization": orgs["dege"].name, "roles": ["host"], "order": 1},
        ],
        "versions": [{"effective_from": "2025-01-01"}],
    }
    doc.update(changes)
    return doc


def _keys(node: Any, path: str = "") -> set[str]:
    """Every field path of a document ("versions[].rules[].scope"), rule params left out (the
    rule kinds' parameters have their own table in docs/cobuild.md)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}" if path else key
            found.add(here)
            if key not in ("params", "sources"):
                found |= _keys(value, here)
    elif isinstance(node, list):
        for item in node:
            found |= _keys(item, f"{path}[]")
    return found


@pytest.mark.django_db
class TestDocumented:
    def test_every_field_dump_writes_is_in_the_docs_table(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        """docs/cobuild.md documents the YAML format field by field: every field of a full
        document appears in its table (as `field`, under its list's row)."""
        doc = Path(__file__).resolve().parents[2] / "docs" / "cobuild.md"
        section = doc.read_text("utf-8").split("## The YAML format", 1)[1].split("\n## ", 1)[0]
        table = "\n".join(line for line in section.splitlines() if line.startswith("| `"))
        document = documents.read_text(documents.dump(full_agreement(users, orgs)))
        missing = []
        lines = table.splitlines()

        def named(text: str) -> set[str]:  # `field`, `field[]` and the keys of `{a, b: …}`
            return set(re.findall(r"`(\w+)(?:\[\])?`", text)) | set(
                re.findall(r"[{,]\s*(\w+)", text)
            )

        for path in sorted(_keys(document)):
            *parents, leaf = path.split(".")
            if not parents:  # a top-level field: named in the first column
                words = named(" ".join(line.split(" | ", 1)[0] for line in lines))
            elif leaf == "sources":  # one row for every part that may cite its sources
                words = named(" ".join(line for line in lines if line.startswith("| `sources[]`")))
            elif parents[-1] in ("enterprise", "list[]", "parks[]", "organization"):
                words = named(section)  # a reference: `{uscc}` or `{name, region}`, in prose
            else:  # a nested one: in the row of the list (or sub-list) it belongs to
                prefixes = {".".join(parents[: n + 1]) for n in range(len(parents))}
                words = named(
                    " ".join(line for line in lines if any(f"| `{p}`" in line for p in prefixes))
                )
            if leaf.removesuffix("[]") not in words:
                missing.append(path)
        assert not missing, f"fields without a row in docs/cobuild.md: {missing}"
        assert {"companies[].shares[].share", "versions[].rules[].scope"} <= _keys(document)


@pytest.mark.django_db
class TestRoundTrip:
    def test_dump_load_dump_gives_identical_text(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        made = full_agreement(users, orgs)
        first = documents.dump(made)
        rename(made)
        copy = documents.load(users["jinniu"], documents.read_text(first))
        assert copy.pk != made.pk
        assert documents.dump(copy) == first

    def test_the_copy_is_the_same_agreement(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        made = full_agreement(users, orgs)
        text = documents.dump(made)
        rename(made)
        copy = documents.load(users["jinniu"], documents.read_text(text))
        assert (copy.status, copy.signed_on, copy.versions.count()) == (
            "in_force",
            date(2024, 1, 5),
            2,
        )
        keys = Rule.objects.filter(version__agreement=copy).values_list("version__number", "key")
        assert sorted(keys) == [
            (1, "cit-equity"), (1, "cit-list"), (1, "vat"), (1, "vat-jinniu"),
            (2, "cit-equity"), (2, "out-one"), (2, "vat"), (2, "vat-jinniu"),
        ]  # fmt: skip
        assert Rule.objects.get(version__agreement=copy, version__number=2, key="vat").illustrative
        shares = EquityShare.objects.filter(company__agreement=copy).order_by(
            "shareholder__order", "id"
        )
        assert [(s.shareholder.key, s.share) for s in shares][:2] == [
            ("jinniu", "3/5"),
            ("jinniu", "1/2"),
        ]
        covered = CoveredEnterprise.objects.get(agreement=copy, enterprise__uscc=make_uscc(7))
        assert (covered.introduced_by.key, covered.production_on, covered.illustrative) == (
            "jinniu",
            date(2024, 6, 1),
            True,
        )
        assert [s.quote for s in sources_of(copy)] == ["双方共建产业园"]

    def test_json_round_trip(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        made = full_agreement(users, orgs)
        first = documents.dump(made, "json")
        rename(made)
        copy = documents.load(users["jinniu"], json.loads(first))
        assert documents.dump(copy, "json") == first

    def test_the_document_names_no_database_ids(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        made = full_agreement(users, orgs)
        doc = yaml.safe_load(documents.dump(made))
        assert doc["owner"] == "金牛区投资促进局"
        assert doc["parks"] == [{"name": "金德合作产业园", "region": "513330"}]
        assert doc["enterprises"][0]["enterprise"] == {
            "uscc": make_uscc(7),
            "name": "有代码企业有限公司",
        }
        assert doc["enterprises"][1]["enterprise"] == {
            "name": "无代码企业有限公司",
            "region": "510106",
        }
        assert doc["versions"][0]["rules"][1]["scope"] == {"introduced_by": "jinniu"}
        assert doc["transitions"] == [
            {"to": "signed", "date": date(2024, 1, 5), "note": "签约"},
            {"to": "in_force", "date": date(2024, 2, 1), "note": ""},
        ]


@pytest.mark.django_db
class TestLoadRefusals:
    def load(self, user: User, doc: Any) -> dict[str, str]:
        with pytest.raises(documents.DocumentError) as caught:
            documents.load(user, doc)
        assert Agreement.objects.count() == 0
        return dict(caught.value.detail)

    def test_shape_problems_are_all_listed_with_their_paths(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        doc = minimal(orgs, colour="red", term_start="2025-13-01")
        doc["parties"][1]["organization"] = "不存在的机构"
        doc["versions"][0]["rules"] = [{"key": "vat", "indicator": "vat_local"}]
        detail = self.load(users["jinniu"], doc)
        assert detail == {
            "colour": "未知字段。",
            "term_start": "日期应写作 YYYY-MM-DD。",
            "parties[1].organization": "机构不存在:不存在的机构",
            "versions[0].rules[0].kind": "必填。",
        }

    def test_an_engine_refusal_names_the_rule_and_the_parameter(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        doc = minimal(orgs)
        doc["versions"][0]["rules"] = [
            {"key": "vat", "indicator": "vat_local", "kind": "fixed_ratio",
             "params": {"shares": {"jinniu": "3/5", "dege": "1/5"}}},
        ]  # fmt: skip
        detail = self.load(users["jinniu"], doc)
        assert list(detail) == ["versions[0].rules[0].params.shares"]
        assert "100%" in detail["versions[0].rules[0].params.shares"]

    def test_nothing_is_written_when_a_late_step_fails(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        doc = minimal(
            orgs,
            cooperation_fields=["产业共育"],
            transitions=[{"to": "expired", "date": "2025-01-02"}],
        )
        detail = self.load(users["jinniu"], doc)
        assert list(detail) == ["transitions[0]"]
        assert CooperationField.objects.count() == 0

    def test_equity_over_100_percent(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        doc = minimal(
            orgs,
            companies=[{"name": "运营公司", "shares": [
                {"shareholder": "jinniu", "share": "60%"}, {"shareholder": "dege", "share": "1/2"},
            ]}],
        )  # fmt: skip
        detail = self.load(users["jinniu"], doc)
        assert detail == {"companies[0].shares[1].share": "同一生效日期的股权合计超过100%。"}

    def test_an_unknown_party_key(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        doc = minimal(orgs, policies=[{"name": "招商优惠政策", "issued_by": "shifang"}])
        assert self.load(users["jinniu"], doc) == {"policies[0].issued_by": "协议方不存在:shifang"}

    def test_an_outsider_cannot_draft_for_another_organisation(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        doc = minimal(orgs, owner=orgs["jinniu"].name)
        detail = self.load(users["zhangye"], doc)
        assert list(detail) == ["owner"]

    def test_the_same_title_twice_is_refused(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        documents.load(users["jinniu"], minimal(orgs))
        with pytest.raises(documents.DocumentError) as caught:
            documents.load(users["jinniu"], minimal(orgs))
        assert list(caught.value.detail) == ["title"]
        assert Agreement.objects.count() == 1

    def test_status_must_follow_from_the_transitions(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        detail = self.load(users["jinniu"], minimal(orgs, status="signed"))
        assert list(detail) == ["transitions"]

    def test_enterprises_by_name_need_a_region_when_ambiguous(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        factories.enterprise(orgs["jinniu"], "同名企业有限公司")
        factories.enterprise(orgs["dege"], "同名企业有限公司")
        doc = minimal(orgs, enterprises=[{"enterprise": "同名企业有限公司"}])
        detail = self.load(users["jinniu"], doc)
        assert list(detail) == ["enterprises[0].enterprise"]
        doc = minimal(
            orgs, enterprises=[{"enterprise": {"name": "同名企业有限公司", "region": "513330"}}]
        )
        made = documents.load(users["jinniu"], doc)
        assert made.covered.get().enterprise.region_id == "513330"

    def test_english_messages(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        from django.utils import translation

        doc = minimal(orgs)
        doc["versions"][0]["rules"] = [
            {"key": "vat", "indicator": "vat_local", "kind": "fixed_ratio",
             "params": {"shares": {"jinniu": "3/5", "dege": "1/5"}}},
        ]  # fmt: skip
        with translation.override("en"):
            detail = self.load(users["jinniu"], doc)
        message = detail["versions[0].rules[0].params.shares"]
        assert message.isascii() and "100%" in message


@pytest.mark.django_db
class TestCommand:
    def test_dump_to_a_file_and_load_it(self, users, orgs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        made = full_agreement(users, orgs)
        target = tmp_path / "agreement.yaml"
        run("cobuild", "dump", str(made.pk), "-o", str(target), "--as", "jinniu_officer")
        assert target.read_text("utf-8").startswith("# ParkLink 共建协议")
        rename(made)
        out = run("cobuild", "load", str(target), "--as", "jinniu_officer")
        assert "已载入共建协议" in out and "2 个版本,8 条规则" in out
        copy = Agreement.objects.exclude(pk=made.pk).get()
        assert documents.dump(copy) == target.read_text("utf-8")

    def test_dump_as_json_by_the_file_name(self, users, orgs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        made = support.agreement(users["jinniu"], orgs["jinniu"], orgs["dege"])
        target = tmp_path / "agreement.json"
        run("cobuild", "dump", str(made.pk), "-o", str(target), "--as", "dege_officer")
        assert json.loads(target.read_text("utf-8"))["title"] == made.title

    def test_an_outsider_cannot_dump(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        made = support.agreement(users["jinniu"], orgs["jinniu"], orgs["dege"])
        message, _err = fail("cobuild", "dump", str(made.pk), "--as", "qingbaijiang_officer")
        assert "不存在或无权查看" in message

    def test_load_lists_every_problem_with_its_path(self, users, orgs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        path = tmp_path / "bad.yaml"
        doc = minimal(orgs, colour="red")
        doc["parties"][0]["organization"] = "不存在的机构"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
        _message, err = fail("cobuild", "load", str(path), "--as", "jinniu_officer")
        assert "colour: 未知字段。" in err
        assert "parties[0].organization: 机构不存在:不存在的机构" in err
        assert Agreement.objects.count() == 0

    def test_load_in_english(self, users, orgs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        path = tmp_path / "ok.yaml"
        path.write_text(yaml.safe_dump(minimal(orgs), allow_unicode=True), "utf-8")
        out = run("cobuild", "load", str(path), "--as", "jinniu_officer", "--lang", "en")
        assert out.startswith("loaded agreement #")

    def test_a_broken_file(self, users, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        path = tmp_path / "broken.yaml"
        path.write_text("title: [unclosed\n", "utf-8")
        message, _err = fail("cobuild", "load", str(path), "--as", "jinniu_officer")
        assert "无法读取 YAML/JSON" in message


@pytest.mark.django_db
class TestCoveredEnterprisesAfterSigning:
    def test_a_new_enterprise_may_join_a_signed_agreement(self, world) -> None:  # type: ignore[no-untyped-def]
        firm = factories.enterprise(world["orgs"]["dege"], "后来入驻有限公司")
        covered = details.save_covered(world["users"]["dege"], world["agreement"], enterprise=firm)
        assert covered.agreement == world["agreement"]
        assert Enterprise.objects.filter(cobuild_terms__agreement=world["agreement"]).count() == 1
