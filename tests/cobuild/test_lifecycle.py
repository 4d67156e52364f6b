"""The agreement lifecycle table (plain Python)."""

from __future__ import annotations

from parklink.cobuild import lifecycle
from parklink.cobuild.lifecycle import Status


class TestAllowedTargets:
    def test_a_draft_goes_to_negotiation_signing_or_termination(self) -> None:
        assert lifecycle.allowed_targets("draft") == [
            Status.NEGOTIATING,
            Status.SIGNED,
            Status.TERMINATED,
        ]

    def test_expired_and_terminated_are_final(self) -> None:
        assert lifecycle.allowed_targets(Status.EXPIRED) == []
        assert lifecycle.allowed_targets(Status.TERMINATED) == []

    def test_every_status_has_a_row(self) -> None:
        assert set(lifecycle.ALLOWED) == set(Status)


class TestIsAllowed:
    def test_signed_comes_into_force(self) -> None:
        assert lifecycle.is_allowed("signed", "in_force")

    def test_in_force_cannot_go_back_to_draft(self) -> None:
        assert not lifecycle.is_allowed("in_force", "draft")

    def test_an_unknown_status_is_not_allowed(self) -> None:
        assert not lifecycle.is_allowed("draft", "archived")
