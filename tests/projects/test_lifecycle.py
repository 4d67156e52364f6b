"""The allowed-transitions table."""

from itertools import pairwise

import pytest

from parklink.projects.lifecycle import (
    PIPELINE,
    Refusal,
    Stage,
    allowed_targets,
    is_disclosed_stage,
    refusal,
)


class TestLifecycle:
    def test_each_pipeline_stage_may_move_to_the_next(self) -> None:
        for current, following in pairwise(PIPELINE):
            assert refusal(current, following) is None, (current, following)

    def test_skipping_ahead_is_refused_with_the_allowed_list(self) -> None:
        assert refusal(Stage.NEGOTIATING, Stage.UNDER_CONSTRUCTION) is Refusal.NOT_ALLOWED

    def test_going_back_is_refused(self) -> None:
        assert refusal(Stage.STARTED, Stage.SIGNED) is not None

    def test_final_stages_cannot_move(self) -> None:
        assert refusal(Stage.FULL_PRODUCTION, Stage.STALLED) is Refusal.FINAL
        assert refusal(Stage.TERMINATED, Stage.LEAD) is not None

    def test_stalled_resumes_only_where_it_stopped(self) -> None:
        assert refusal(Stage.STALLED, Stage.STARTED, resume_to=Stage.STARTED) is None
        assert refusal(Stage.STALLED, Stage.COMPLETED, resume_to=Stage.STARTED) is Refusal.STALLED
        assert Stage.TERMINATED in allowed_targets(Stage.STALLED, Stage.STARTED)

    @pytest.mark.parametrize("stage", list(Stage))
    def test_every_stage_has_a_row_in_the_table(self, stage: Stage) -> None:
        allowed_targets(stage)

    def test_disclosure_starts_at_signing(self) -> None:
        assert not is_disclosed_stage(Stage.NEGOTIATING)
        assert is_disclosed_stage(Stage.SIGNED) and is_disclosed_stage(Stage.FULL_PRODUCTION)
        assert not is_disclosed_stage(Stage.STALLED)
