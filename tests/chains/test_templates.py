"""Templates: versions on every saved edit, copies, parse errors shown, who sees and edits."""

from __future__ import annotations

import pytest

from parklink.accounts.models import Organization, User
from parklink.chains.models import ChainTemplate, TemplateVersion
from parklink.chains.services import templates
from parklink.core.errors import Forbidden, Invalid, NotFound
from tests.chains.world import CHAIN_TEXT, shipped_template

pytestmark = pytest.mark.django_db


class TestVersions:
    def test_a_copy_is_the_organisations_and_editing_it_adds_versions(
        self, users: dict[str, User]
    ) -> None:
        shipped, _v = shipped_template()
        copy = templates.copy_template(users["jinniu"], shipped)
        assert (copy.owner_id, copy.key, copy.based_on) == (
            users["jinniu"].organization_id,
            "testpv",
            shipped,
        )
        edited = CHAIN_TEXT.replace("keywords: [多晶硅]", "keywords: [多晶硅, 高纯硅]")
        version = templates.save_version(users["jinniu"], copy, edited, "加高纯硅")
        assert version.number == 2
        assert "高纯硅" in templates.chain_of(version).segment("poly").keywords
        assert templates.current_version(copy) == version
        assert copy.versions.get(number=1).text == CHAIN_TEXT  # the old version is kept

    def test_a_second_copy_gets_a_free_key(self, users: dict[str, User]) -> None:
        shipped, _v = shipped_template()
        templates.copy_template(users["jinniu"], shipped)
        second = templates.copy_template(users["jinniu"], shipped)
        assert second.key == "testpv_2"
        assert templates.chain_of(templates.current_version(second)).key == "testpv_2"

    def test_a_template_that_does_not_parse_is_refused_with_the_reason(
        self, users: dict[str, User]
    ) -> None:
        shipped, _v = shipped_template()
        copy = templates.copy_template(users["jinniu"], shipped)
        broken = CHAIN_TEXT.replace("  - [module, plant]\n", "  - [module, nowhere]\n")
        with pytest.raises(Invalid) as error:
            templates.save_version(users["jinniu"], copy, broken)
        assert "nowhere" in error.value.detail["text"]
        assert copy.versions.count() == 1

    def test_unchanged_text_is_no_new_version(self, users: dict[str, User]) -> None:
        shipped, _v = shipped_template()
        copy = templates.copy_template(users["jinniu"], shipped)
        with pytest.raises(Invalid):
            templates.save_version(users["jinniu"], copy, templates.current_version(copy).text)

    def test_the_key_cannot_change(self, users: dict[str, User]) -> None:
        shipped, _v = shipped_template()
        copy = templates.copy_template(users["jinniu"], shipped)
        with pytest.raises(Invalid):
            templates.save_version(
                users["jinniu"], copy, CHAIN_TEXT.replace("key: testpv", "key: other")
            )

    def test_an_own_template_from_scratch(self, users: dict[str, User]) -> None:
        made = templates.create_template(users["jinniu"], CHAIN_TEXT)
        assert made.owner_id == users["jinniu"].organization_id
        with pytest.raises(Invalid):
            templates.create_template(users["jinniu"], CHAIN_TEXT)  # the key is taken


class TestAccess:
    def test_shipped_templates_only_administrators_edit(self, users: dict[str, User]) -> None:
        shipped, _v = shipped_template()
        edited = CHAIN_TEXT.replace("测试光伏链", "测试光伏产业链")
        with pytest.raises(Forbidden):
            templates.save_version(users["jinniu"], shipped, edited)
        templates.save_version(users["root"], shipped, edited)
        shipped.refresh_from_db()
        assert shipped.name == "测试光伏产业链"

    def test_an_organisations_template_is_hidden_from_others(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        own = templates.create_template(users["jinniu"], CHAIN_TEXT)
        with pytest.raises(NotFound):
            templates.get_visible(users["qingbaijiang"], own.pk)
        assert own not in templates.visible_templates(users["qingbaijiang"])
        with pytest.raises(Forbidden):
            templates.save_version(users["qingbaijiang"], own, CHAIN_TEXT + "\n# x\n")
        with pytest.raises(Forbidden):
            templates.save_version(users["jinniu_viewer"], own, CHAIN_TEXT + "\n# x\n")
        assert templates.get_visible(users["jinniu_viewer"], own.pk) == own

    def test_loading_the_shipped_templates_twice_adds_nothing(self) -> None:
        first = templates.load_shipped()
        assert len(first) >= 20
        assert templates.load_shipped() == []
        assert ChainTemplate.objects.filter(owner=None).count() == len(first)
        assert TemplateVersion.objects.count() == len(first)
