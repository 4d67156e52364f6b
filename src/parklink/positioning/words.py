"""The user's words for the positioning figures: quadrants, screening tags, resource reasons,
warnings (shared by the page, the export and the command)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

QUADRANTS = {
    "strength": gettext_lazy("优势"),
    "weakness": gettext_lazy("短板"),
    "opportunity": gettext_lazy("机会"),
    "entrant": gettext_lazy("可进入"),
    "threat": gettext_lazy("远景"),
    "none": gettext_lazy("不推荐"),
}
TAGS = {
    "energy_intensive": gettext_lazy("高耗能行业"),
    "two_high": gettext_lazy("“两高”行业"),
    "water_intensive": gettext_lazy("高耗水行业"),
    "chemical_park": gettext_lazy("须进入化工园区"),
}
WARNINGS = {
    "weak_structure": gettext_lazy("特征值间隔过小,ECI 排序不可靠"),
    "disconnected": gettext_lazy("地区—产业网络分成互不相连的几块,ECI 反映的是分块而非复杂度"),
}


def resource_name(kind: str) -> str:
    from parklink.parks.models import ResourceKind

    return str(ResourceKind(kind).label) if kind in ResourceKind.values else kind


def reason_text(reason: str) -> str:
    kind, _sep, tag = reason.partition(":")
    if kind == "by_hand":
        return _("手工排除")
    if kind == "partly":
        return _("部分属于%(tag)s") % {"tag": TAGS[tag]}
    if kind == "needs":
        return _("需要%(resource)s(园区未记录)") % {"resource": resource_name(tag)}
    if kind == "uses":
        return _("本地有%(resource)s") % {"resource": resource_name(tag)}
    return str(TAGS[tag])


STATUS = {
    "specialised": gettext_lazy("已具优势"),
    "near": gettext_lazy("接近:有相关能力"),
    "far": gettext_lazy("较远:与现有能力距离大"),
    "excluded": gettext_lazy("已被排除"),
    "unknown": gettext_lazy("数据中没有该产业"),
}
ROLES = {
    "representative": gettext_lazy("代表性产业"),
    "foundational": gettext_lazy("基础性产业"),
    "leading": gettext_lazy("主导产业"),
}
