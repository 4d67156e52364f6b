"""Chain templates: the shipped ones, copies and an organisation's own, and their versions.

Everyone sees the shipped templates; an organisation's own templates are seen by its members
(and installation administrators). Officers and admins of the owner edit a template; the
shipped ones only installation administrators (`parklink demo` and `load_shipped` refresh
them from `data/chains/`). Every saved edit is a new `TemplateVersion` with the whole text,
checked by `catalog.parse` first: a template that does not parse is refused with the
parser's message (which field, which segment, why).
"""

from __future__ import annotations

from functools import lru_cache

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.chains import catalog
from parklink.chains.catalog import CatalogError, Chain
from parklink.chains.models import ChainTemplate, TemplateVersion
from parklink.core.errors import Forbidden, Invalid, NotFound

MAX_TEXT_CHARS = 200_000


def visibility_q(user: User) -> Q:
    if user.is_superuser:
        return Q()
    if user.organization_id is None:
        return Q(owner__isnull=True)
    return Q(owner__isnull=True) | Q(owner_id=user.organization_id)


def visible_templates(user: User) -> QuerySet[ChainTemplate]:
    return ChainTemplate.objects.filter(visibility_q(user))


def visible_versions(user: User) -> QuerySet[TemplateVersion]:
    return TemplateVersion.objects.filter(template__in=visible_templates(user).values("pk"))


def get_visible(user: User, pk: int) -> ChainTemplate:
    found = visible_templates(user).select_related("owner").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("产业链模板不存在或无权查看。"), detail={"template": pk})
    return found


def ensure_can_edit(user: User, template: ChainTemplate) -> None:
    """Officers of the owner edit an organisation's template; shipped ones: administrators."""
    if template.owner_id is None:
        if not user.is_superuser:
            raise Forbidden(_("系统内置模板只能由系统管理员修改;请复制后编辑副本。"))
        return
    ensure_can_write(user, template.owner_id)


def can_edit(user: User, template: ChainTemplate) -> bool:
    try:
        ensure_can_edit(user, template)
    except Forbidden:
        return False
    return True


def current_version(template: ChainTemplate) -> TemplateVersion:
    version = template.versions.order_by("-number").first()
    if version is None:
        raise NotFound(_("模板尚无版本。"), detail={"template": template.pk})
    return version


def current_versions(templates: QuerySet[ChainTemplate]) -> dict[int, TemplateVersion]:
    """Each template's latest version, in two queries."""
    latest = (
        TemplateVersion.objects.filter(template__in=templates.values("pk"))
        .values("template_id")
        .annotate(number=Max("number"))
    )
    wanted = Q(pk__in=[])
    for row in latest:
        wanted |= Q(template_id=row["template_id"], number=row["number"])
    found = TemplateVersion.objects.filter(wanted).select_related("template")
    return {version.template_id: version for version in found}


@lru_cache(maxsize=256)
def _parsed(pk: int, text: str) -> Chain:
    return catalog.parse(text)


def chain_of(version: TemplateVersion) -> Chain:
    """The version's chain (parsed once per process and text)."""
    return _parsed(version.pk, version.text)


def check_text(text: str) -> Chain:
    """The chain the text describes, or Invalid naming what is wrong (field `text`)."""
    if not text.strip():
        raise Invalid.on("text", _("模板内容不能为空"))
    if len(text) > MAX_TEXT_CHARS:
        raise Invalid.on(
            "text", _("模板内容过长(不超过 %(n)s 个字符)") % {"n": f"{MAX_TEXT_CHARS:,}"}
        )
    try:
        return catalog.parse(text)
    except CatalogError as error:
        raise Invalid(_("模板内容有误"), detail={"text": str(error)}) from error


def _next_number(template: ChainTemplate) -> int:
    latest = template.versions.aggregate(n=Max("number"))["n"]
    return int(latest or 0) + 1


def _add_version(
    template: ChainTemplate, text: str, chain: Chain, user: User | None, note: str
) -> TemplateVersion:
    version = TemplateVersion.objects.create(
        template=template,
        number=_next_number(template),
        text=text,
        catalog_version=chain.version[:32],
        note=note[:255],
        created_by=user,
    )
    if template.name != chain.name:
        template.name = chain.name[:128]
        template.save(update_fields=["name"])
    return version


@transaction.atomic
def save_version(user: User, template: ChainTemplate, text: str, note: str = "") -> TemplateVersion:
    """A new version of the template from YAML text (refused unchanged or unparsable)."""
    ensure_can_edit(user, template)
    chain = check_text(text)
    if chain.key != template.key:
        raise Invalid.on(
            "text",
            _("模板的 key 必须保持为“%(key)s”(改名请修改 name)") % {"key": template.key},
        )
    latest = template.versions.order_by("-number").first()
    if latest is not None and latest.text == text:
        raise Invalid.on("text", _("内容没有改动,未保存新版本"))
    return _add_version(template, text, chain, user, note)


def _free_key(owner_id: int, key: str) -> str:
    taken = set(ChainTemplate.objects.filter(owner_id=owner_id).values_list("key", flat=True))
    candidate, n = key, 2
    while candidate in taken:
        candidate, n = f"{key}_{n}", n + 1
    return candidate


def _owner_for(user: User) -> int:
    if user.organization_id is None:
        raise Forbidden(_("用户未关联任何机构,不能保存自己的模板。"))
    ensure_can_write(user, user.organization_id)
    return int(user.organization_id)


@transaction.atomic
def create_template(user: User, text: str, note: str = "") -> ChainTemplate:
    """The user's organisation's own template, version 1, from YAML text."""
    owner_id = _owner_for(user)
    chain = check_text(text)
    if ChainTemplate.objects.filter(owner_id=owner_id, key=chain.key).exists():
        raise Invalid.on(
            "text", _("本机构已有 key 为“%(key)s”的模板,请换一个 key") % {"key": chain.key}
        )
    template = ChainTemplate.objects.create(key=chain.key, name=chain.name[:128], owner_id=owner_id)
    _add_version(template, text, chain, user, note or _("新建"))
    return template


@transaction.atomic
def copy_template(user: User, source: ChainTemplate) -> ChainTemplate:
    """A copy of a visible template, owned by the user's organisation, to edit freely."""
    owner_id = _owner_for(user)
    version = current_version(source)
    chain = chain_of(version)
    key = _free_key(owner_id, source.key)
    text = version.text
    if key != chain.key:
        text = catalog.dump(_renamed(chain, key))
    template = ChainTemplate.objects.create(
        key=key, name=chain.name[:128], owner_id=owner_id, based_on=source
    )
    _add_version(
        template,
        text,
        catalog.parse(text),
        user,
        _("复制自 %(name)s v%(n)s") % {"name": source.name, "n": version.number},
    )
    return template


def _renamed(chain: Chain, key: str) -> Chain:
    return catalog.parse(catalog.dump(chain).replace(f"key: {chain.key}\n", f"key: {key}\n", 1))


@transaction.atomic
def load_shipped(user: User | None = None) -> list[TemplateVersion]:
    """Shipped templates from data/chains: new ones created, changed ones get a new version."""
    added: list[TemplateVersion] = []
    for key, chain in catalog.shipped().items():
        text = catalog.dump(chain)
        template, _created = ChainTemplate.objects.get_or_create(
            owner=None, key=key, defaults={"name": chain.name[:128]}
        )
        latest = template.versions.order_by("-number").first()
        if latest is not None and latest.catalog_version == chain.version[:32]:
            continue
        added.append(_add_version(template, text, chain, user, _("随系统发布")))
    return added
