"""`parklink import engagement-contacts` / `engagements` and the import page: all or nothing.

Enterprises are named as in the registry (exact name, or USCC when names repeat); projects by
their exact name among those the importing user may see; contacts by name among the owner's
contacts at the row's enterprises; participants and follow-up owners by user name. Every row
is checked by the same service rules as the pages and the API, and each refusal names the
row, the column and why.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Count

from parklink.accounts.imports import OwnedImporter, importer_factory
from parklink.accounts.models import User
from parklink.core.cells import CellError, cell_text, choice, day, integer, text
from parklink.core.errors import ParkLinkError
from parklink.core.imports import Column, Problem, Row
from parklink.engagements.models import Contact, EngagementKind
from parklink.engagements.services import contacts as contact_services
from parklink.engagements.services import follow_ups as follow_up_services
from parklink.engagements.services import records
from parklink.enterprises.models import Enterprise
from parklink.enterprises.uscc import normalise as normalise_uscc
from parklink.projects.queries import visible_projects

_SEPARATORS = re.compile(r"[、;；\n]+")


def names(value: Any) -> list[str]:
    """The items of a list cell, separated by 、 or semicolons or line breaks."""
    return [item.strip() for item in _SEPARATORS.split(cell_text(value)) if item.strip()]


def _labels(choices: Any) -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in choices]


def _count(value: Any) -> int:
    number = integer(value)
    if number < 0:
        raise CellError("应为不小于0的整数", "must be a whole number of at least 0")
    return number


class EnterpriseLookup:
    """Enterprises named in a file, found in one query per kind of key."""

    def __init__(self, keys: set[str]) -> None:
        codes = {normalise_uscc(k) for k in keys if len(k) == 18}
        self.by_uscc = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=codes)}
        plain = [k for k in keys if k]
        counted = Enterprise.objects.filter(name__in=plain).values("name").annotate(n=Count("id"))
        self.ambiguous = {row["name"] for row in counted if row["n"] > 1}
        self.by_name = {
            e.name: e
            for e in Enterprise.objects.filter(name__in=plain).exclude(name__in=self.ambiguous)
        }

    def find(self, key: str) -> Enterprise | None:
        if len(key) == 18 and normalise_uscc(key) in self.by_uscc:
            return self.by_uscc[normalise_uscc(key)]
        return self.by_name.get(key)

    def problem(self, key: str) -> tuple[str, str] | None:
        if key in self.ambiguous:
            return (
                f"有多家企业名为“{key}”,请填写统一社会信用代码",
                f"several enterprises are named {key!r}: give the USCC",
            )
        if self.find(key) is None:
            return (
                f"企业库中没有“{key}”(请先导入企业)",
                f"no enterprise {key!r} in the registry (import it first)",
            )
        return None


def _service_problem(
    importer: OwnedImporter, row: Row, error: ParkLinkError, fields: dict[str, str]
) -> Problem:
    """A service's refusal as a problem on the column it names."""
    detail = error.detail if isinstance(error.detail, dict) else {}
    field = next(iter(detail), "")
    return importer.problem(row, fields.get(field, field), error.message, error.message)


class ContactImporter(OwnedImporter):
    kind = "engagement-contacts"
    ignored_headers = ("编号", "ID", "所属机构", "Owner", "示例数据", "Illustrative")

    def columns(self) -> Sequence[Column]:
        return [
            Column(
                "enterprise",
                "企业",
                "enterprise",
                text(128),
                required=True,
                aliases=("企业名称", "统一社会信用代码", "所在企业"),
            ),
            Column("name", "姓名", "name", text(64), required=True, aliases=("联系人",)),
            Column("title", "职务", "title", text(64)),
            Column("phone", "电话", "phone", text(32), aliases=("联系电话", "手机")),
            Column("wechat", "微信", "wechat", text(64), aliases=("微信号",)),
            Column("email", "邮箱", "email", text(254), aliases=("电子邮箱",)),
            Column("notes", "备注", "notes", text(5000)),
        ]

    def prepare(self, rows: list[Row]) -> None:
        keys = {str(row.values.get("enterprise") or "").strip() for row in rows}
        self.enterprises = EnterpriseLookup(keys)
        self.existing = set(
            Contact.objects.filter(owner=self.owner).values_list("enterprise_id", "name")
        )
        self.in_file: dict[tuple[int, str], int] = {}

    def check(self, row: Row) -> list[Problem]:
        key = str(row.values.get("enterprise") or "").strip()
        refused = self.enterprises.problem(key)
        if refused:
            return [self.problem(row, "enterprise", *refused)]
        enterprise = self.enterprises.find(key)
        assert enterprise is not None
        name = str(row.values.get("name") or "").strip()
        pair = (enterprise.pk, name)
        if pair in self.existing:
            return [
                self.problem(
                    row,
                    "name",
                    "本机构已有该企业的同名联系人",
                    "this organisation already has a contact of that name there",
                )
            ]
        if pair in self.in_file:
            return [
                self.problem(
                    row,
                    "name",
                    f"与第{self.in_file[pair]}行重复",
                    f"repeats row {self.in_file[pair]}",
                )
            ]
        self.in_file[pair] = row.number
        if row.failed:
            return []
        data = {**row.values, "enterprise": enterprise}
        try:
            contact_services._clean(data)
        except ParkLinkError as error:
            return [_service_problem(self, row, error, {})]
        return []

    def save(self, row: Row) -> Any:
        enterprise = self.enterprises.find(str(row.values["enterprise"]).strip())
        return contact_services.create_contact(
            self.user, {**row.values, "enterprise": enterprise}, owner_id=self.owner.pk
        )


class EngagementImporter(OwnedImporter):
    kind = "engagements"
    ignored_headers = ("编号", "ID", "所属机构", "Owner", "示例数据", "Illustrative", "跟进情况")

    def columns(self) -> Sequence[Column]:
        kinds = choice(
            _labels(EngagementKind.choices),
            aliases={
                "拜访": "visit_out",
                "来访": "visit_in",
                "电话": "call",
                "视频": "call",
                "推介会": "promotion",
                "签约": "signing",
                "走访": "aftercare",
                "安商稳商": "aftercare",
            },
        )
        return [
            Column("kind", "类型", "kind", kinds, required=True, aliases=("对接类型",)),
            Column("held_on", "日期", "date", day, required=True, aliases=("对接日期",)),
            Column("title", "主题", "title", text(200), required=True),
            Column("place", "地点", "place", text(200)),
            Column("purpose", "目的", "purpose", text(5000)),
            Column("summary", "纪要", "summary", text(20000), aliases=("对接纪要", "内容")),
            Column("requests", "企业诉求", "requests", text(10000), aliases=("诉求",)),
            Column("enterprises", "对接企业", "enterprises", names, aliases=("企业",)),
            Column("contacts", "联系人", "contacts", names),
            Column("projects", "相关项目", "projects", names),
            Column("signed_projects", "签约项目", "signed projects", names),
            Column("signed_count", "签约项目数", "signed count", _count),
            Column(
                "participants", "参加人员", "participants", names, aliases=("参加人员(用户名)",)
            ),
            Column("other_participants", "其他参加人员", "other participants", text(500)),
            Column("task", "跟进事项", "follow-up", text(300)),
            Column("assignee", "跟进负责人", "follow-up owner", text(150)),
            Column("due_on", "跟进期限", "follow-up due", day),
        ]

    def prepare(self, rows: list[Row]) -> None:
        wanted: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            for key in ("enterprises", "contacts", "projects", "signed_projects", "participants"):
                wanted[key].update(row.values.get(key) or ())
            if row.values.get("assignee"):
                wanted["participants"].add(str(row.values["assignee"]).strip())
        self.enterprises = EnterpriseLookup(wanted["enterprises"])
        projects = (
            visible_projects(self.user)
            .filter(name__in=wanted["projects"] | wanted["signed_projects"])
            .values_list("name", "pk")
        )
        self.projects: dict[str, list[int]] = defaultdict(list)
        for name, pk in projects:
            self.projects[name].append(pk)
        self.contacts: dict[str, list[Contact]] = defaultdict(list)
        for contact in Contact.objects.filter(owner=self.owner, name__in=wanted["contacts"]):
            self.contacts[contact.name].append(contact)
        self.users = {
            u.username: u for u in User.objects.filter(username__in=wanted["participants"])
        }

    def _resolve(self, row: Row) -> tuple[dict[str, Any], list[Problem]]:
        problems: list[Problem] = []
        data = {k: v for k, v in row.values.items() if k not in ("task", "assignee", "due_on")}
        enterprises = []
        for key in row.values.get("enterprises") or ():
            refused = self.enterprises.problem(key)
            if refused:
                problems.append(self.problem(row, "enterprises", *refused))
            else:
                enterprises.append(self.enterprises.find(key))
        data["enterprises"] = enterprises
        chosen = {e.pk for e in enterprises if e is not None}
        contacts = []
        for name in row.values.get("contacts") or ():
            found = self.contacts.get(name, [])
            if chosen:
                found = [c for c in found if c.enterprise_id in chosen] or found
            if len(found) != 1:
                problems.append(
                    self.problem(
                        row,
                        "contacts",
                        f"本机构没有名为“{name}”的联系人"
                        if not found
                        else f"本机构有多位名为“{name}”的联系人,请填写对接企业以区分",
                        f"no contact {name!r} of this organisation"
                        if not found
                        else f"several contacts are named {name!r}: name their enterprise",
                    )
                )
            else:
                contacts.append(found[0])
        data["contacts"] = contacts
        for key in ("projects", "signed_projects"):
            ids = []
            for name in row.values.get(key) or ():
                found_ids = self.projects.get(name, [])
                if len(found_ids) != 1:
                    problems.append(
                        self.problem(
                            row,
                            key,
                            f"没有可查看的项目名为“{name}”"
                            if not found_ids
                            else f"有多个项目名为“{name}”",
                            f"no visible project named {name!r}"
                            if not found_ids
                            else f"several projects are named {name!r}",
                        )
                    )
                else:
                    ids.append(found_ids[0])
            data[key] = ids
        people = []
        for name in row.values.get("participants") or ():
            user = self.users.get(name)
            if user is None or not user.is_active:
                problems.append(
                    self.problem(row, "participants", f"没有用户“{name}”", f"no user {name!r}")
                )
            else:
                people.append(user)
        data["participants"] = people
        return data, problems

    def _follow_up(self, row: Row) -> list[Problem]:
        given = [k for k in ("task", "assignee", "due_on") if row.values.get(k)]
        if not given or len(given) == 3:
            return []
        missing = next(k for k in ("task", "assignee", "due_on") if k not in given)
        return [
            self.problem(
                row,
                missing,
                "填写跟进事项时,事项、负责人和期限都要填",
                "a follow-up needs its task, owner and due date",
            )
        ]

    def check(self, row: Row) -> list[Problem]:
        data, problems = self._resolve(row)
        problems += self._follow_up(row)
        if problems or row.failed:  # a cell already refused is not reported twice
            return problems
        try:
            records._clean(self.user, self.owner.pk, data)
        except ParkLinkError as error:
            return [_service_problem(self, row, error, {})]
        assignee = str(row.values.get("assignee") or "").strip()
        if assignee:
            user = self.users.get(assignee)
            allowed = (
                user is not None
                and user.is_active
                and (user.organization_id == self.owner.pk or user in data["participants"])
            )
            if not allowed:
                return [
                    self.problem(
                        row,
                        "assignee",
                        "负责人须是本机构的在职用户或本次对接的参加人员",
                        "the owner must be an active user of this organisation or a participant",
                    )
                ]
            try:
                from parklink.core.dates import DateKind
                from parklink.engagements.services.checks import check_day

                check_day("due_on", DateKind.PLANNED, row.values.get("due_on"), "跟进期限")
            except ParkLinkError as error:
                return [self.problem(row, "due_on", error.message, error.message)]
        return []

    def save(self, row: Row) -> Any:
        data, _problems = self._resolve(row)
        engagement = records.create_engagement(self.user, data, owner_id=self.owner.pk)
        if row.values.get("task"):
            follow_up_services.add_follow_up(
                self.user,
                engagement,
                {
                    "task": row.values["task"],
                    "assignee": self.users[str(row.values["assignee"]).strip()],
                    "due_on": row.values["due_on"],
                },
            )
        return engagement


build_contact_importer = importer_factory(ContactImporter)
build_engagement_importer = importer_factory(EngagementImporter)
