"""The kpi app's services: targets, actuals from the pipeline, schemes and assessments."""
