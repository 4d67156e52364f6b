"""The words of a digest: the email's subject and body, the robots' markdown message.

Called inside `translation.override(<the reader's language>)`; the items were gathered in
that language too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parklink.core.registry import DueItem

MARKS = {"danger": "🔴", "warning": "🟡", "info": "🔵"}


def absolute(url: str) -> str:
    return urljoin(settings.PARKLINK_SITE_URL, url)


def _id(item: DueItem) -> str:
    return f"{item.kind}:{item.key}"


def email_subject(count: int, new: int, day: date) -> str:
    counted = ngettext("%(n)s 项提醒", "%(n)s 项提醒", count) % {"n": count}
    if new:
        counted += ngettext("(%(n)s 项新增)", "(%(n)s 项新增)", new) % {"n": new}
    return _("ParkLink 每日提醒 %(day)s:%(counted)s") % {
        "day": f"{day:%Y-%m-%d}",
        "counted": counted,
    }


def email_body(user: object, items: Iterable[DueItem], new: set[str], day: date) -> str:
    lines = [
        _("%(name)s,您好:") % {"name": user},
        "",
        _("截至 %(day)s,以下事项到期或逾期,需要您跟进:") % {"day": f"{day:%Y-%m-%d}"},
        "",
    ]
    for number, item in enumerate(items, start=1):
        tag = _("[新]") + " " if _id(item) in new else ""
        lines.append(f"{number}. {tag}{item.title}")
        lines.append(f"   {item.reason}")
        lines.append(f"   {absolute(item.url)}")
    lines += [
        "",
        _("全部提醒:%(url)s") % {"url": absolute(reverse("reminders:mine"))},
        _("不想收到某类提醒?在“提醒设置”中屏蔽:%(url)s")
        % {"url": absolute(reverse("reminders:settings"))},
        "",
        _("这封邮件由 ParkLink 每天自动发送一次,请勿直接回复。"),
    ]
    return "\n".join(lines)


def robot_message(org: str, items: list[DueItem], day: date, limit: int) -> tuple[str, str]:
    """(title, markdown) of a group robot's message, cut to the robot's limit in bytes."""
    from parklink.reminders.webhooks import fit

    title = _("%(org)s 每日提醒") % {"org": org}
    head = [
        f"### {title}",
        ngettext(
            "截至 %(day)s,共 %(n)s 项到期或逾期:",
            "截至 %(day)s,共 %(n)s 项到期或逾期:",
            len(items),
        )
        % {"day": f"{day:%Y-%m-%d}", "n": len(items)},
    ]
    lines = [
        f"- {MARKS.get(item.severity, '')} [{_escape(item.title)}]({absolute(item.url)}):"
        f"{_escape(item.reason)}"
        for item in items
    ]
    budget = limit - len("\n".join(head).encode()) - 1
    more = _("…… 另有 %(n)s 项,请登录 ParkLink 查看")
    return title, "\n".join(head) + "\n" + fit(lines, budget, more)


def _escape(text: str) -> str:
    """Markdown link text without brackets that would end it early or start another."""
    return str(text).replace("[", "【").replace("]", "】").replace("\n", " ")
