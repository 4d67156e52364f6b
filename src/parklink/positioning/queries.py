"""Who sees which datasets: shared ones (no owner) everyone; an organisation's own its members;
installation administrators all. The enterprise registry itself has no scope (it is shared)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.core.errors import NotFound
from parklink.positioning.models import Dataset, DatasetFigure, DeclaredIndustry, IndustrySystem


def visible_datasets(user: User) -> QuerySet[Dataset]:
    if user.is_superuser:
        return Dataset.objects.all()
    shared = Q(owner__isnull=True)
    if user.organization_id is None:
        return Dataset.objects.filter(shared)
    return Dataset.objects.filter(shared | Q(owner_id=user.organization_id))


def visible_figures(user: User) -> QuerySet[DatasetFigure]:
    return DatasetFigure.objects.filter(dataset__in=visible_datasets(user).values("pk"))


def get_dataset(user: User, pk: int) -> Dataset:
    found = visible_datasets(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("数据集不存在"))
    return found


def visible_systems(user: User) -> QuerySet[IndustrySystem]:
    """Declared industry systems are public policy statements: everyone reads them."""
    return IndustrySystem.objects.all()


def visible_declared(user: User) -> QuerySet[DeclaredIndustry]:
    return DeclaredIndustry.objects.all()


SCOPES: dict[str, Callable[[User], QuerySet[Any]]] = {
    "positioning.dataset": visible_datasets,
    "positioning.datasetfigure": visible_figures,
    "positioning.industrysystem": visible_systems,
    "positioning.declaredindustry": visible_declared,
}
