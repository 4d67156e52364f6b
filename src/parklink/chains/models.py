"""Chain templates and their versions, enterprise assignments, metro areas, gap rules, leads.

A template (`ChainTemplate`) is shipped (no owner: loaded from `data/chains/*.yaml`, the same
for every organisation) or an organisation's own (a copy of another or made from scratch).
Every saved edit is a new `TemplateVersion` holding the whole YAML text, so a map, an export
or a lead always names the version it used. `Assignment` rows say which segment of a template
an enterprise belongs to: the classifier's ranked candidates (replaced by each run) and the
users' corrections (kept by every run, and winning over the classifier).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ChainTemplate(models.Model):
    key = models.SlugField(_("代码"), max_length=64)
    name = models.CharField(_("名称"), max_length=128)
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chain_templates",
        help_text=_("为空表示系统内置模板"),
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("复制自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("产业链模板")
        verbose_name_plural = _("产业链模板")
        ordering = ["owner_id", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(owner__isnull=True), name="chain_template_shipped_key"
            ),
            models.UniqueConstraint(fields=["owner", "key"], name="chain_template_owner_key"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shipped(self) -> bool:
        return self.owner_id is None


class TemplateVersion(models.Model):
    template = models.ForeignKey(
        ChainTemplate, verbose_name=_("模板"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    text = models.TextField(_("模板内容(YAML)"))
    catalog_version = models.CharField(_("模板自述版本"), max_length=32, blank=True)
    note = models.CharField(_("修改说明"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("保存人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)
    classified_at = models.DateTimeField(_("最近分类时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("模板版本")
        verbose_name_plural = _("模板版本")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="chain_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.template.name} v{self.number}"


class Source(models.TextChoices):
    CLASSIFIER = "classifier", _("自动分类")
    CORRECTION = "correction", _("人工确认/修正")


class Assignment(models.Model):
    """One enterprise in one segment of a template (or, corrected, in none of its segments).

    Classifier rows keep each chain's top candidates with their rank (1 = best) and whether
    the score passed the classifier's threshold (`accepted`); they are replaced whenever the
    registry is classified again. Correction rows (`source=correction`) are never touched by a
    run; an enterprise with any correction row on a template is placed by its corrections
    alone (a blank `segment` says "in no segment of this chain").
    """

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="chain_assignments",
    )
    template = models.ForeignKey(
        ChainTemplate, verbose_name=_("模板"), on_delete=models.CASCADE, related_name="assignments"
    )
    version = models.ForeignKey(
        TemplateVersion,
        verbose_name=_("模板版本"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    segment = models.CharField(_("环节"), max_length=64, blank=True)
    score = models.FloatField(_("得分"), default=0.0)
    rank = models.PositiveSmallIntegerField(_("名次"), default=1)
    accepted = models.BooleanField(_("达到阈值"), default=True)
    evidence = models.JSONField(_("依据"), default=list, blank=True)
    source = models.CharField(
        _("来源"), max_length=16, choices=Source.choices, default=Source.CLASSIFIER
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修正人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("修正时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("企业环节归属")
        verbose_name_plural = _("企业环节归属")
        ordering = ["template", "enterprise", "source", "rank"]
        indexes = [
            models.Index(fields=["template", "source", "segment"], name="chain_asg_template_seg"),
            models.Index(fields=["enterprise", "template"], name="chain_asg_enterprise"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} → {self.template_id}:{self.segment or '-'}"


class ChangedEnterprise(models.Model):
    """An enterprise saved or imported since the last classification (`classify --changed`)."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="+",
        primary_key=True,
    )
    changed_at = models.DateTimeField(_("变更时间"), auto_now=True)

    class Meta:
        verbose_name = _("待重新分类企业")
        verbose_name_plural = _("待重新分类企业")

    def __str__(self) -> str:
        return str(self.enterprise_id)


class MetroArea(models.Model):
    """A named set of regions (都市圈, e.g. 成德眉资), with the city that leads each chain."""

    key = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    description = models.TextField(_("说明"), blank=True)
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("维护机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="metro_areas",
    )
    regions = models.ManyToManyField(
        "regions.Region", verbose_name=_("成员行政区"), through="MetroMember", related_name="+"
    )

    class Meta:
        verbose_name = _("都市圈")
        verbose_name_plural = _("都市圈")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MetroMember(models.Model):
    metro = models.ForeignKey(
        MetroArea, verbose_name=_("都市圈"), on_delete=models.CASCADE, related_name="members"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("行政区"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("都市圈成员")
        verbose_name_plural = _("都市圈成员")
        ordering = ["metro", "order", "region"]
        constraints = [
            models.UniqueConstraint(fields=["metro", "region"], name="chain_metro_member")
        ]

    def __str__(self) -> str:
        return f"{self.metro_id}:{self.region_id}"


class MetroLead(models.Model):
    """Which member city leads a chain in the metro area (主导城市), and where that is stated."""

    metro = models.ForeignKey(
        MetroArea, verbose_name=_("都市圈"), on_delete=models.CASCADE, related_name="leads"
    )
    chain_key = models.SlugField(_("产业链"), max_length=64)
    label = models.CharField(_("产业链名称(原文)"), max_length=64, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("主导城市"), on_delete=models.PROTECT, related_name="+"
    )
    source_quote = models.TextField(_("出处原文"), blank=True)
    source_file = models.CharField(_("出处文件"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("产业链主导城市")
        verbose_name_plural = _("产业链主导城市")
        ordering = ["metro", "chain_key"]
        constraints = [
            models.UniqueConstraint(fields=["metro", "chain_key"], name="chain_metro_lead")
        ]

    def __str__(self) -> str:
        return f"{self.chain_key} → {self.region_id}"


class GapRules(models.Model):
    """An organisation's thresholds for the strong / present / weak / missing labels.

    Defaults (docs/chains.md, "Gap labels"): missing = no enterprise; strong = at least 10
    enterprises, or a chain leader (链主) among at least 3, or at least 3 with a registered
    capital of 10 亿元 or more between them; present = at least 3 enterprises, or one chain
    leader or listed firm; weak = anything else (1 or 2 ordinary enterprises).
    """

    organization = models.OneToOneField(
        "accounts.Organization",
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="gap_rules",
    )
    strong_enterprises = models.PositiveIntegerField(_("强:企业数不少于"), default=10)
    strong_leader_enterprises = models.PositiveIntegerField(_("强:有链主时企业数不少于"), default=3)
    strong_capital = models.DecimalField(
        _("强:注册资本合计不少于(元)"), max_digits=18, decimal_places=2, default=1_000_000_000
    )
    present_enterprises = models.PositiveIntegerField(_("有:企业数不少于"), default=3)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("缺链判定规则")
        verbose_name_plural = _("缺链判定规则")

    def __str__(self) -> str:
        return str(self.organization_id)


class ChainLead(models.Model):
    """A lead made from a target: the project, the gap it fills and where that gap was found."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="chain_lead",
    )
    template = models.ForeignKey(
        ChainTemplate, verbose_name=_("模板"), on_delete=models.PROTECT, related_name="leads"
    )
    version = models.ForeignKey(
        TemplateVersion, verbose_name=_("模板版本"), on_delete=models.PROTECT, related_name="+"
    )
    segment = models.CharField(_("环节"), max_length=64)
    label = models.CharField(_("缺链判定"), max_length=16)
    place = models.CharField(_("地点"), max_length=64)
    place_name = models.CharField(_("地点名称"), max_length=128)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("目标企业"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    score = models.FloatField(_("推荐得分"), default=0.0)
    reasons = models.JSONField(_("推荐理由"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("补链线索")
        verbose_name_plural = _("补链线索")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.place}:{self.segment} → {self.project_id}"


class FocusChain(models.Model):
    """A chain a place has named as its focus (重点产业链), with the words that name it."""

    place = models.CharField(_("地点"), max_length=64)
    place_name = models.CharField(_("地点名称"), max_length=128)
    chain_key = models.SlugField(_("产业链"), max_length=64)
    label = models.CharField(_("原文提法"), max_length=128, blank=True)
    source_quote = models.TextField(_("出处原文"), blank=True)
    source_file = models.CharField(_("出处文件"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("重点产业链")
        verbose_name_plural = _("重点产业链")
        ordering = ["place", "chain_key"]
        constraints = [
            models.UniqueConstraint(fields=["place", "chain_key"], name="chain_focus_place")
        ]

    def __str__(self) -> str:
        return f"{self.place_name} · {self.chain_key}"
