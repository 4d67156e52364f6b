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
