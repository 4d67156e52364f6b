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
    Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED, Stage.APPROVALS, Stage.STARTED,
    Stage.UNDER_CONSTRUCTION, Stage.COMPLETED, Stage.IN_PRODUCTION, Stage.FULL_PRODUCTION,
)
# From "signed" on, a project is disclosed to the regions above its owner.
DISCLOSED_FROM = Stage.SIGNED
FINAL: frozenset[Stage] = frozenset({Stage.FULL_PRODUCTION, Stage.TERMINATED})
ACTIVE: frozenset[Stage] = frozenset(PIPELINE) - {Stage.FULL_PRODUCTION}

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
    Stage.LEAD: "线索", Stage.NEGOTIATING: "在谈", Stage.SIGNED: "签约",
    Stage.APPROVALS: "审批", Stage.STARTED: "开工", Stage.UNDER_CONSTRUCTION: "在建",
    Stage.COMPLETED: "竣工", Stage.IN_PRODUCTION: "投产", Stage.FULL_PRODUCTION: "达产",
    Stage.STALLED: "停滞", Stage.TERMINATED: "终止",
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


def refusal(current: Stage | str, target: Stage | str,
            resume_to: Stage | str | None = None) -> str | None:
    """Why moving from `current` to `target` is not allowed, or None when it is."""
    try:
        current, target = Stage(current), Stage(target)
    except ValueError:
        return f"未知的阶段: {target}"
    if current == target:
        return f"项目已处于“{LABELS_ZH[current]}”阶段"
    if current in FINAL:
        return f"项目已{LABELS_ZH[current]},不能再变更阶段"
    if target in allowed_targets(current, resume_to):
        return None
    if current is Stage.STALLED:
        back = LABELS_ZH[Stage(resume_to)] if resume_to else "原阶段"
        return f"停滞的项目只能恢复到停滞前的“{back}”阶段或终止"
    allowed = "、".join(LABELS_ZH[s] for s in allowed_targets(current, resume_to))
    return f"不能从“{LABELS_ZH[current]}”直接变更为“{LABELS_ZH[target]}”;允许的下一阶段:{allowed}"


def is_disclosed_stage(stage: Stage | str) -> bool:
    """True for stages at or after signing on the main line."""
    stage = Stage(stage)
    return stage in PIPELINE and PIPELINE.index(stage) >= PIPELINE.index(DISCLOSED_FROM)
