"""The kpi app's pure engine: periods, formulas, schemes, eligibility and scoring (no Django)."""
