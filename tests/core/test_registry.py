"""The registry's sections: keys are unique, entries come out in order and can be taken out."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from parklink.core.registry import RegistryError, Section


@dataclass(frozen=True)
class Item:
    key: str
    order: int = 100


class TestSection:
    def test_removed_entry_is_returned_and_gone(self) -> None:
        section: Section[Item] = Section("item", lambda e: e.key)
        item = section.add(Item("a"))
        assert section.remove("a") is item
        assert "a" not in section and len(section) == 0

    def test_removing_what_is_not_registered_is_an_error(self) -> None:
        section: Section[Item] = Section("item", lambda e: e.key)
        with pytest.raises(RegistryError, match="nothing registered as 'a'"):
            section.remove("a")

    def test_a_removed_key_can_be_registered_again(self) -> None:
        section: Section[Item] = Section("item", lambda e: e.key)
        section.add(Item("a"))
        section.remove("a")
        section.add(Item("a", order=5))
        assert section.keys() == ["a"]


class TestTabularKind:
    def test_a_kind_without_import_arguments_builds_its_importer_from_user_and_owner(self) -> None:
        from parklink.core.registry import TabularKind

        kind = TabularKind("plain", "plain", "条", "row(s)", importer=lambda u, o: (u, o))
        assert kind.build_importer("user", "owner", {"ignored": 1}) == ("user", "owner")

    def test_a_kind_with_import_arguments_also_gets_the_parsed_options(self) -> None:
        from parklink.core.registry import TabularKind

        kind = TabularKind(
            "extra",
            "extra",
            "条",
            "row(s)",
            importer=lambda u, o, options: (u, o, options["period"]),
            import_arguments=lambda parser: parser.add_argument("--period"),
        )
        assert kind.build_importer("user", "owner", {"period": "2025Q1"}) == (
            "user",
            "owner",
            "2025Q1",
        )

    def test_the_page_offers_only_kinds_without_import_arguments(self) -> None:
        from parklink.core.registry import Registry, TabularKind

        registry = Registry()
        registry.tabular.add(TabularKind("plain", "p", "条", "row(s)", importer=lambda u, o: 0))
        registry.tabular.add(
            TabularKind(
                "extra",
                "e",
                "条",
                "row(s)",
                importer=lambda u, o, options: 0,
                import_arguments=lambda parser: None,
            )
        )
        assert [kind.code for kind in registry.importable()] == ["plain", "extra"]
        assert [kind.code for kind in registry.importable_on_page()] == ["plain"]
