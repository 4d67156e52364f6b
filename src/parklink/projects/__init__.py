"""The project pipeline (招商项目库): lifecycle, ageing, milestones, approvals, funds."""
