"""Co-built parks: agreements, their parties and versions, sharing rules, figures and settlements.

An `Agreement` (drafted by its owner organisation) binds `Party` organisations with roles
(飞出地, 飞入地, ...). Its sharing `Rule`s belong to an `AgreementVersion`; a period is settled
under the version in force for it. `Record`s are the figures the parties import per period;
a `Run` splits them with the ledger engine into `Allocation`s, and becomes binding once an
officer of every party has given a `Confirmation`. Amounts are integers in the indicator's
smallest unit: fen (分) for money, persons for jobs; never floats.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parklink.cobuild.ledger import packing
from parklink.cobuild.lifecycle import Status
from parklink.core.models import OwnedModel


class AgreementStatus(models.TextChoices):
    DRAFT = Status.DRAFT.value, _("草拟")
    NEGOTIATING = Status.NEGOTIATING.value, _("协商中")
    SIGNED = Status.SIGNED.value, _("已签署")
    IN_FORCE = Status.IN_FORCE.value, _("执行中")
    EXPIRED = Status.EXPIRED.value, _("已到期")
    TERMINATED = Status.TERMINATED.value, _("已终止")


class DivisionMode(models.TextChoices):
    """How the parties divide the work of the co-built park (分工模式)."""

    HQ_AND_PRODUCTION = "hq_production", _("总部研发在飞出地、生产制造在飞入地")
    MAIN_AND_SATELLITE = "main_satellite", _("主承载地+协同地")
    RND_AND_MANUFACTURING = "rnd_manufacturing", _("研发+制造")
    TERMINAL_AND_SUPPORTING = "terminal_supporting", _("终端+配套")
    OTHER = "other", _("其他")


class PartyRole(models.TextChoices):
    SOURCE = "source", _("飞出地")
    HOST = "host", _("飞入地")
    AID_GIVER = "aid_giver", _("援建方")
    AID_RECEIVER = "aid_receiver", _("受援方")
    OPERATOR = "operator", _("运营方")


class Indicator(models.TextChoices):
    """What a figure measures; all money in fen, jobs in persons."""

    VAT_LOCAL = "vat_local", _("增值税地方留成")
    CIT_LOCAL = "cit_local", _("企业所得税地方留成")
    IIT_LOCAL = "iit_local", _("个人所得税地方留成")
    OTHER_TAX = "other_tax", _("其他税收地方留成")
    OUTPUT = "output", _("工业总产值")
    VALUE_ADDED = "value_added", _("工业增加值")
    FAI = "fai", _("固定资产投资")
    LAND_REVENUE = "land_revenue", _("土地出让收入")
    JOBS = "jobs", _("就业人数")


# Indicators counted in persons; every other one is money in fen.
HEADCOUNT_INDICATORS = frozenset({Indicator.JOBS.value})


class ScopeKind(models.TextChoices):
    """Which records a rule applies to; narrower wins (enterprise > list > party > all)."""

    ALL = "all", _("全部企业")
    INTRODUCED_BY = "introduced_by", _("某方引进的企业")
    LIST = "list", _("企业名单")
    ENTERPRISE = "enterprise", _("单个企业")


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    SUPERSEDED = "superseded", _("已被替换")


class Agreement(OwnedModel):
    """A co-building agreement (共建协议); `owner` is the organisation that drafts it."""

    title = models.CharField(_("协议名称"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    division_mode = models.CharField(
        _("分工模式"), max_length=32, choices=DivisionMode.choices, blank=True
    )
    division_note = models.TextField(_("分工说明"), blank=True)
    parks = models.ManyToManyField(
        "parks.Park", verbose_name=_("共建园区"), blank=True, related_name="cobuild_agreements"
    )
    term_start = models.DateField(_("协议期限起"), null=True, blank=True)
    term_end = models.DateField(_("协议期限止"), null=True, blank=True)
    signed_on = models.DateField(_("签署日期"), null=True, blank=True)
    description = models.TextField(_("简介"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("共建协议")
        verbose_name_plural = _("共建协议")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="cobuild_agreement_term_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class AgreementTransition(models.Model):
    """One recorded status change: who moved the agreement, from where to where, when and why."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("协议")
    )
    from_status = models.CharField(_("原状态"), max_length=16, choices=AgreementStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=16, choices=AgreementStatus.choices)
    effective_on = models.DateField(_("生效日期"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("协议状态变更")
        verbose_name_plural = _("协议状态变更")
        ordering = ["agreement", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.from_status} → {self.to_status}"


class Party(models.Model):
    """An organisation bound by the agreement, with its roles; `key` names it in the rules."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("协议")
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="cobuild_parties",
        verbose_name=_("机构"),
    )
    key = models.SlugField(
        _("代号"), max_length=32, help_text=_("规则参数中指代该方的代号,如 jinniu")
    )
    roles = models.JSONField(_("角色"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), help_text=_("分账尾差按此顺序分配"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("协议方")
        verbose_name_plural = _("协议方")
        ordering = ["agreement", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"], name="cobuild_party_unique_org"
            ),
            models.UniqueConstraint(fields=["agreement", "key"], name="cobuild_party_unique_key"),
            models.UniqueConstraint(
                fields=["agreement", "order"], name="cobuild_party_unique_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.organization_id})"

    def role_labels(self) -> list[str]:
        labels = dict(PartyRole.choices)
        return [str(labels.get(role, role)) for role in self.roles]


class AgreementVersion(models.Model):
    """The agreement's sharing rules from `effective_from` on; 1 is the signed text, then
    each amendment. Immutable once a run has been confirmed under it.
    """

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="versions", verbose_name=_("协议")
    )
    number = models.PositiveIntegerField(_("版本号"))
    effective_from = models.DateField(_("生效日期"))
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("协议版本")
        verbose_name_plural = _("协议版本")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="cobuild_version_unique_number"
            ),
            models.UniqueConstraint(
                fields=["agreement", "effective_from"], name="cobuild_version_unique_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"


class OperatingCompany(models.Model):
    """The joint company that runs the park (e.g. 交子恒新), owned by the parties' shares."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="companies",
        verbose_name=_("协议"),
    )
    name = models.CharField(_("公司名称"), max_length=128)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("运营公司")
        verbose_name_plural = _("运营公司")
        ordering = ["agreement", "id"]

    def __str__(self) -> str:
        return self.name


class EquityShare(models.Model):
    """A shareholder's part of an operating company from `effective_from` on.

    `share` is an exact fraction as text ("3/5"; a percentage is stored as its fraction).
    """

    company = models.ForeignKey(
        OperatingCompany,
        on_delete=models.CASCADE,
        related_name="shares",
        verbose_name=_("运营公司"),
    )
    shareholder = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="equity", verbose_name=_("股东")
    )
    shareholder_name = models.CharField(
        _("持股主体"), max_length=128, blank=True, help_text=_("如 金牛区城投集团")
    )
    share = models.CharField(_("股权比例"), max_length=32)
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("股权")
        verbose_name_plural = _("股权")
        ordering = ["company", "shareholder__order", "id"]

    def __str__(self) -> str:
        return f"{self.company}: {self.shareholder_name or self.shareholder} {self.share}"


class CooperationField(models.Model):
    """A field the parties cooperate in (产业共育, 人才交流, ...)."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="cooperation_fields",
        verbose_name=_("协议"),
    )
    name = models.CharField(_("合作领域"), max_length=64)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("合作领域")
        verbose_name_plural = _("合作领域")
        ordering = ["agreement", "order", "id"]

    def __str__(self) -> str:
        return self.name


class SharedPolicy(models.Model):
    """A policy one party extends to the co-built park (政策共享)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="policies", verbose_name=_("协议")
    )
    name = models.CharField(_("政策名称"), max_length=200)
    issued_by = models.ForeignKey(
        Party,
        verbose_name=_("出台方"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="policies",
    )
    note = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("共享政策")
        verbose_name_plural = _("共享政策")
        ordering = ["agreement", "id"]

    def __str__(self) -> str:
        return self.name


class CoveredEnterprise(models.Model):
    """An enterprise the agreement's rules know: who introduced it and its dates (入驻, 投产...)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="covered", verbose_name=_("协议")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="cobuild_terms",
        verbose_name=_("企业"),
    )
    introduced_by = models.ForeignKey(
        Party,
        verbose_name=_("引进方"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="introduced",
    )
    settled_on = models.DateField(_("入驻日期"), null=True, blank=True)
    production_on = models.DateField(_("投产日期"), null=True, blank=True)
    full_production_on = models.DateField(_("达产日期"), null=True, blank=True)
    moved_on = models.DateField(_("迁入日期"), null=True, blank=True)
    illustrative = models.BooleanField(
        _("示例数据"), default=False, help_text=_("引进方和日期为示例,并非来源材料所载")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("协议企业")
        verbose_name_plural = _("协议企业")
        ordering = ["agreement", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "enterprise"], name="cobuild_covered_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.enterprise_id}"


class Rule(models.Model):
    """A sharing rule of a version: an indicator, a scope, a registered kind and its parameters.

    `key` is stable across versions (an amendment copies it), so caps carried in the ledger
    state follow the rule from one version to the next.
    """

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="rules", verbose_name=_("版本")
    )
    key = models.SlugField(_("规则代号"), max_length=32)
    indicator = models.CharField(_("指标"), max_length=32, choices=Indicator.choices)
    scope_kind = models.CharField(
        _("适用范围"), max_length=16, choices=ScopeKind.choices, default=ScopeKind.ALL
    )
    scope_party = models.ForeignKey(
        Party,
        verbose_name=_("引进方"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("企业"), blank=True, related_name="+"
    )
    kind = models.CharField(_("规则类型"), max_length=32)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    note = models.TextField(_("说明"), blank=True)
    illustrative = models.BooleanField(
        _("示例数据"), default=False, help_text=_("比例等参数为示例,并非协议原文")
    )

    class Meta:
        verbose_name = _("分享规则")
        verbose_name_plural = _("分享规则")
        ordering = ["version", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="cobuild_rule_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.key}"


class RecordBatch(models.Model):
    """One import of one party's figures for one period (a file, or a replacement of one)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="batches", verbose_name=_("协议")
    )
    period_label = models.CharField(_("结算期"), max_length=8)
    contributed_by = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="batches", verbose_name=_("报送方")
    )
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    replaces_settled = models.BooleanField(_("替换已结算数据"), default=False)
    illustrative = models.BooleanField(
        _("示例数据"), default=False, help_text=_("本批数据为示例,并非真实报送")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["agreement", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.agreement} {self.period_label} #{self.pk}"


class Record(models.Model):
    """One figure of one enterprise for one indicator in a period, as a party reported it.

    A re-import marks the earlier figures `replaced` (pointing at the batch that replaced
    them); they are never deleted, so the runs they fed stay reproducible.
    """

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="records", verbose_name=_("协议")
    )
    batch = models.ForeignKey(
        RecordBatch, on_delete=models.PROTECT, related_name="records", verbose_name=_("导入批次")
    )
    period_label = models.CharField(_("结算期"), max_length=8)
    period_start = models.DateField(_("结算期起"))
    period_end = models.DateField(_("结算期止"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("企业"),
    )
    indicator = models.CharField(_("指标"), max_length=32, choices=Indicator.choices)
    amount = models.BigIntegerField(_("数额"), help_text=_("金额以分计,就业以人计;可为负(退税)"))
    contributed_by = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="records", verbose_name=_("报送方")
    )
    replaced = models.BooleanField(_("已被替换"), default=False)
    superseded_by = models.ForeignKey(
        RecordBatch,
        verbose_name=_("替换批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_records",
    )

    class Meta:
        verbose_name = _("分账数据")
        verbose_name_plural = _("分账数据")
        ordering = ["agreement", "period_start", "id"]
        indexes = [
            models.Index(
                fields=["agreement", "period_label", "replaced"], name="cobuild_record_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_label} {self.enterprise_id} {self.indicator} {self.amount}"


class Run(models.Model):
    """One split of a period's figures under the version in force for it.

    Binding once confirmed by every party; a confirmed run never changes, except that a
    re-import of its period with replacement marks it superseded.
    """

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="runs", verbose_name=_("协议")
    )
    period_label = models.CharField(_("结算期"), max_length=8)
    period_start = models.DateField(_("结算期起"))
    period_end = models.DateField(_("结算期止"))
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="runs", verbose_name=_("版本")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=RunStatus.choices, default=RunStatus.DRAFT
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("上一期结算"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inputs_digest = models.CharField(_("输入摘要"), max_length=64)
    allocations_digest = models.CharField(_("结果摘要"), max_length=64)
    # Runs stored before `inputs_columns` kept their record ids and facts as documents here.
    record_ids = models.JSONField(_("输入数据"), default=list)
    facts = models.JSONField(_("企业情况"), default=list)
    # The record ids and facts as compact integer columns (`ledger.packing`).
    inputs_columns = models.BinaryField(_("输入数据(列)"), default=b"", blank=True)
    state_before = models.JSONField(_("期初状态"), default=list)
    state_after = models.JSONField(_("期末状态"), default=list)
    unmatched = models.JSONField(_("未匹配数据"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("分账结算")
        verbose_name_plural = _("分账结算")
        ordering = ["agreement", "-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "period_label"],
                condition=Q(status="confirmed"),
                name="cobuild_run_one_confirmed_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.period_label} #{self.pk}"

    def inputs(self) -> packing.RunInputs | None:
        """The record ids and facts as columns (None for a run stored before them)."""
        data = bytes(self.inputs_columns or b"")
        return packing.unpack(data) if data else None

    def input_record_ids(self) -> list[int]:
        """The ids of the records the run read, in its input order."""
        stored = self.inputs()
        return stored.record_ids.tolist() if stored else list(self.record_ids)

    def records_q(self) -> Q:
        """The records the run read, as a condition without a list of every id: those its
        allocations name (a subquery) and those no rule split (`unmatched`). A large run's ids
        as an IN list would be millions of parameters (SQLite refuses more than 32,766)."""
        split = Q(pk__in=Allocation.objects.filter(run=self).values("record_id"))
        unmatched = [item["record"] for item in self.unmatched]
        return split | Q(pk__in=unmatched) if unmatched else split

    def uses_illustrative_data(self) -> bool:
        """True when a rule of its version or a figure it read is illustrative (示例数据)."""
        return (
            self.version.rules.filter(illustrative=True).exists()
            or Record.objects.filter(self.records_q(), batch__illustrative=True).exists()
        )


class AllocationTerms(models.Model):
    """One distinct (step, share, terms) of a run's allocations, numbered in sorted order.

    A run's millions of allocation rows carry a handful of these combinations (one per rule
    step and party share, plus one per capped or windowed record whose terms are its own), so
    each row points at its combination (`Allocation.detail`) instead of repeating the texts.
    """

    run = models.ForeignKey(
        Run,
        on_delete=models.CASCADE,
        related_name="allocation_terms",
        verbose_name=_("结算"),
        db_index=False,
    )
    code = models.PositiveIntegerField(_("编号"))
    step = models.CharField(_("阶段"), max_length=32)
    share = models.CharField(_("比例"), max_length=64, blank=True)
    terms = models.JSONField(_("计算依据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("分账依据")
        verbose_name_plural = _("分账依据")
        ordering = ["run", "code"]
        constraints = [
            models.UniqueConstraint(fields=["run", "code"], name="cobuild_allocationterms_code")
        ]

    def __str__(self) -> str:
        return f"{self.run_id}#{self.code}: {self.step} {self.share}"


class Allocation(models.Model):
    """One party's part of one record, with the rule and step it came from.

    A large run writes millions of these rows (about 2 per record), so the table carries only
    integers: the run, the position, the record, the party, the amount, the rule, the cap
    consumed and left (null where no cap applies), and `detail`, the run's `AllocationTerms`
    row holding the step or window, the share and the compact terms (a run has a handful of
    distinct ones). `step`, `share` and `terms` read through it (select `detail` with the
    rows). Indexes: the primary key and the unique `(run, position)` index, which serves every
    read (a run's page in `position` order, its totals and statements, the reconciliation, the
    count, the cascade when a draft run is replaced).

    `run`, `record`, `party`, `rule` and `detail` are plain columns in the database
    (`db_constraint=False`; no index of their own, `(run, position)` starts with `run`): with a
    constraint PostgreSQL queued a foreign-key check per row and ran them one by one at commit,
    most of a large run's time. The rows still go with their run: Django deletes them when the
    run is deleted (`CASCADE` is the ORM's, one `DELETE … WHERE run_id IN …`), and the run's
    `AllocationTerms` with them. Integrity holds without the constraints: rows are written only
    by `services.runs` from the records, rules and parties it has just read in the same
    transaction; a run is immutable once confirmed (drafts are deleted whole, never edited);
    and `on_delete=PROTECT` still stops the ORM from deleting a record, party or rule that an
    allocation names (the check is then a scan of this table, on rare edits of draft agreements
    and rules). Runs stored before `detail` (migration 0008) had the step, share and terms on
    every row; the migration moved them into `AllocationTerms`, row for row the same values.
    """

    run = models.ForeignKey(
        Run,
        on_delete=models.CASCADE,
        related_name="allocations",
        verbose_name=_("结算"),
        db_index=False,
        db_constraint=False,
    )
    position = models.PositiveIntegerField(_("序号"))
    record = models.ForeignKey(
        Record,
        on_delete=models.PROTECT,
        related_name="allocations",
        verbose_name=_("数据"),
        db_constraint=False,
        db_index=False,
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="allocations",
        verbose_name=_("协议方"),
        db_constraint=False,
        db_index=False,
    )
    amount = models.BigIntegerField(_("分得数额"))
    rule = models.ForeignKey(
        Rule,
        on_delete=models.PROTECT,
        related_name="allocations",
        verbose_name=_("规则"),
        db_constraint=False,
        db_index=False,
    )
    cap_used = models.BigIntegerField(_("已用上限"), null=True, blank=True)
    cap_left = models.BigIntegerField(_("剩余上限"), null=True, blank=True)
    # DO_NOTHING: the run's deletion removes both its rows and its terms (no scan by detail).
    detail = models.ForeignKey(
        AllocationTerms,
        on_delete=models.DO_NOTHING,
        related_name="+",
        verbose_name=_("分账依据"),
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        verbose_name = _("分账结果")
        verbose_name_plural = _("分账结果")
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="cobuild_allocation_position")
        ]

    def __str__(self) -> str:
        return f"{self.run}: {self.party_id} {self.amount}"

    @property
    def step(self) -> str:
        """The step or window the part fell in (its `AllocationTerms`)."""
        return self.detail.step

    @property
    def share(self) -> str:
        """The party's share as an exact fraction ("3/5"), empty when none applies."""
        return self.detail.share

    @property
    def terms(self) -> dict[str, Any]:
        """The compact terms (`services.bulk.expand_terms` gives the full ones)."""
        terms: dict[str, Any] = self.detail.terms
        return terms


class Confirmation(models.Model):
    """A party's sign-off on a run, given by one of its officers."""

    run = models.ForeignKey(
        Run, on_delete=models.CASCADE, related_name="confirmations", verbose_name=_("结算")
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="confirmations", verbose_name=_("协议方")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("结算确认")
        verbose_name_plural = _("结算确认")
        ordering = ["run", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "party"], name="cobuild_confirmation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.run}: {self.party_id}"


# ---------------------------------------------------------------- innovation enclaves


class Enclave(OwnedModel):
    """An innovation enclave (科创飞地 / 反向飞地): a county's space in a big city.

    `owner` is the home county's organisation; tenants (`Tenancy`) are incubated there and
    land in `home_region`. Its figures (tenants now, landed, introduced, investment) are
    computed by `services.enclaves.figures`, never stored.
    """

    name = models.CharField(_("名称"), max_length=200)
    home_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("飞出地(本县)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    host_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在城市"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    park = models.ForeignKey(
        "parks.Park",
        verbose_name=_("飞地园区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enclaves",
        limit_choices_to={"kind": "innovation_enclave"},
    )
    opened_on = models.DateField(_("启用日期"), null=True, blank=True)
    description = models.TextField(_("简介"), blank=True)

    class Meta:
        verbose_name = _("科创飞地")
        verbose_name_plural = _("科创飞地")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="cobuild_enclave_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Tenancy(models.Model):
    """An enterprise incubated in an enclave, from `moved_in` to `moved_out` (open: still there)."""

    enclave = models.ForeignKey(
        Enclave, on_delete=models.CASCADE, related_name="tenancies", verbose_name=_("科创飞地")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="enclave_tenancies",
        verbose_name=_("企业"),
    )
    moved_in = models.DateField(_("入驻日期"))
    moved_out = models.DateField(_("迁出日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    illustrative = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("飞地入驻企业")
        verbose_name_plural = _("飞地入驻企业")
        ordering = ["enclave", "moved_in", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enclave", "enterprise", "moved_in"], name="cobuild_tenancy_unique"
            ),
            models.CheckConstraint(
                condition=Q(moved_out__isnull=True) | Q(moved_out__gte=models.F("moved_in")),
                name="cobuild_tenancy_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enclave}·{self.enterprise}"


class Introduction(models.Model):
    """An enterprise the home county records as introduced to it through the enclave (引入)."""

    enclave = models.ForeignKey(
        Enclave, on_delete=models.CASCADE, related_name="introductions", verbose_name=_("科创飞地")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="enclave_introductions",
        verbose_name=_("企业"),
    )
    introduced_on = models.DateField(_("引入日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    illustrative = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("飞地引入企业")
        verbose_name_plural = _("飞地引入企业")
        ordering = ["enclave", "introduced_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enclave", "enterprise"], name="cobuild_introduction_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enclave}→{self.enterprise}"
