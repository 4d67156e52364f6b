"""`engagements.services.visits`: the aftercare visits the KPI app counts."""

from __future__ import annotations

from datetime import date

from parklink.engagements.services import visits


def test_aftercare_visits_of_the_organisations_in_the_period(world) -> None:
    inside = world.engagement(kind="aftercare", held_on=date(2025, 3, 31), title="季末走访")
    world.engagement(kind="aftercare", held_on=date(2025, 4, 1), title="下季度")
    world.engagement(kind="visit_out", held_on=date(2025, 2, 1), title="招商拜访")
    other = world.engagement(by=world.dege_officer, kind="aftercare", held_on=date(2025, 1, 1))
    found = visits([world.jinniu.pk], date(2025, 1, 1), date(2025, 3, 31))
    assert list(found) == [inside]
    both = visits([world.jinniu.pk, world.dege.pk], date(2025, 1, 1), date(2025, 3, 31))
    assert list(both) == [other, inside]
    kinds = visits(
        [world.jinniu.pk], date(2025, 1, 1), date(2025, 3, 31), kind=["aftercare", "visit_out"]
    )
    assert kinds.count() == 2
