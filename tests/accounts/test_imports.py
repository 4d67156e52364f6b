"""accounts.imports: the owner organisation of an import and who may import."""

from __future__ import annotations

import pytest

from parklink.accounts.imports import ensure_can_import, resolve_owner
from parklink.accounts.models import Organization, User
from parklink.core.errors import Forbidden
from parklink.core.imports import ImportForbidden


@pytest.mark.django_db
class TestOwner:
    def test_officer_imports_for_own_organisation(self, users: dict[str, User]) -> None:
        assert resolve_owner(users["jinniu"]) == users["jinniu"].organization

    def test_admin_may_import_for_a_named_organisation(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        assert resolve_owner(users["root"], "德格县人民政府") == orgs["dege"]

    def test_officer_may_not_name_another_organisation(self, users: dict[str, User]) -> None:
        with pytest.raises(Forbidden):
            resolve_owner(users["jinniu"], "德格县人民政府")

    def test_viewer_is_refused_with_a_reason_in_both_languages(
        self, users: dict[str, User]
    ) -> None:
        viewer = users["jinniu_viewer"]
        with pytest.raises(ImportForbidden) as caught:
            ensure_can_import(viewer, resolve_owner(viewer))
        assert "只能查看" in caught.value.message
        assert "officer" in caught.value.message_en
