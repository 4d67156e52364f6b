"""Project stages and the table of allowed moves between them (plain Python, no Django)."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    LEAD = "lead"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    APPROVALS = "approvals"
    STARTED = "started"
    UNDER_CONSTRUCTION = "under_construction"
    COMPLETED = "completed"
    IN_PRODUCTION = "in_production"
    FULL_PRODUCTION = "full_production"
    STALLED = "stalled"
    TERMINATED = "terminated"


# The main line, in order; a project normally walks it one step at a time.
PIPELINE: tuple[Stage, ...] = (
    Stage.LEAD,
    Stage.NEGOTIATING,
    Stage.SIGNED,
    Stage.APPROVALS,
    Stage.STARTED,
    Stage.UNDER_CONSTRUCTION,
    Stage.COMPLETED,
    Stage.IN_PRODUCTION,
    Stage.FULL_PRODUCTION,
)
# From "signed" on, a project is disclosed to the regions above its owner.
DISCLOSED_FROM = Stage.SIGNED
FINAL: frozenset[Stage] = frozenset({Stage.FULL_PRODUCTION, Stage.TERMINATED})
ACTIVE: frozenset[Stage] = frozenset(PIPELINE) - {Stage.FULL_PRODUCTION}
# Stages whose projects age (三类三色): the active ones and stalled ones, which need it most.
AGEING: frozenset[Stage] = ACTIVE | {Stage.STALLED}

ALLOWED: dict[Stage, frozenset[Stage]] = {
    # A quick deal may be signed straight from a lead (一次双向考察就达成共识).
    Stage.LEAD: frozenset({Stage.NEGOTIATING, Stage.SIGNED, Stage.STALLED, Stage.TERMINATED}),
    Stage.NEGOTIATING: frozenset({Stage.SIGNED, Stage.STALLED, Stage.TERMINATED}),
    # Approvals may be skipped when the land and permits came with the deal.
    Stage.SIGNED: frozenset({Stage.APPROVALS, Stage.STARTED, Stage.STALLED, Stage.TERMINATED}),
    Stage.APPROVALS: frozenset({Stage.STARTED, Stage.STALLED, Stage.TERMINATED}),
    Stage.STARTED: frozenset({Stage.UNDER_CONSTRUCTION, Stage.STALLED, Stage.TERMINATED}),
    Stage.UNDER_CONSTRUCTION: frozenset({Stage.COMPLETED, Stage.STALLED, Stage.TERMINATED}),
    Stage.COMPLETED: frozenset({Stage.IN_PRODUCTION, Stage.STALLED, Stage.TERMINATED}),
    Stage.IN_PRODUCTION: frozenset({Stage.FULL_PRODUCTION, Stage.STALLED, Stage.TERMINATED}),
    Stage.FULL_PRODUCTION: frozenset(),
    # A stalled project resumes where it stopped (see `allowed_targets`) or is terminated.
    Stage.STALLED: frozenset({Stage.TERMINATED}),
    Stage.TERMINATED: frozenset(),
}

LABELS_ZH: dict[Stage, str] = {
    Stage.LEAD: "线索",
    Stage.NEGOTIATING: "在谈",
    Stage.SIGNED: "签约",
    Stage.APPROVALS: "审批",
    Stage.STARTED: "开工",
    Stage.UNDER_CONSTRUCTION: "在建",
    Stage.COMPLETED: "竣工",
    Stage.IN_PRODUCTION: "投产",
    Stage.FULL_PRODUCTION: "达产",
    Stage.STALLED: "停滞",
    Stage.TERMINATED: "终止",
}


def allowed_targets(current: Stage | str, resume_to: Stage | str | None = None) -> list[Stage]:
    """Stages a project at `current` may move to, in pipeline order.

    `resume_to` is the stage a stalled project stopped at; it is the only way back.
    """
    current = Stage(current)
    targets = set(ALLOWED[current])
    if current is Stage.STALLED and resume_to:
        targets.add(Stage(resume_to))
    order = [*PIPELINE, Stage.STALLED, Stage.TERMINATED]
    return sorted(targets, key=order.index)


class Refusal(StrEnum):
    """Why a move is refused; services turn it into a message in the user's language."""

    UNKNOWN_STAGE = "unknown_stage"
    SAME_STAGE = "same_stage"
    FINAL = "final"
    STALLED = "stalled"  # a stalled project resumes only where it stopped
    NOT_ALLOWED = "not_allowed"


def refusal(
    current: Stage | str, target: Stage | str, resume_to: Stage | str | None = None
) -> Refusal | None:
    """Why moving from `current` to `target` is not allowed, or None when it is."""
    try:
        current, target = Stage(current), Stage(target)
    except ValueError:
        return Refusal.UNKNOWN_STAGE
    if current == target:
        return Refusal.SAME_STAGE
    if current in FINAL:
        return Refusal.FINAL
    if target in allowed_targets(current, resume_to):
        return None
    return Refusal.STALLED if current is Stage.STALLED else Refusal.NOT_ALLOWED


def is_disclosed_stage(stage: Stage | str) -> bool:
    """True for stages at or after signing on the main line."""
    stage = Stage(stage)
    return stage in PIPELINE and PIPELINE.index(stage) >= PIPELINE.index(DISCLOSED_FROM)
