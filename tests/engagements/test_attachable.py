"""Engagements carry attachments: seen by their readers, changed by the owner's officers."""

from __future__ import annotations

from parklink.core.registry import registry


def test_attachable_follows_the_engagement(world) -> None:
    made = world.engagement(participants=[world.dege_officer.pk])
    entry = registry.attachables["engagements.engagement"]
    assert list(entry.visible(world.dege_officer)) == [made]
    assert not entry.visible(world.zhangye_officer).exists()
    assert entry.can_change(world.jinniu_officer, made)
    assert not entry.can_change(world.jinniu_viewer, made)
    assert not entry.can_change(world.dege_officer, made)
    assert entry.url(made) == f"/engagements/{made.pk}/"
