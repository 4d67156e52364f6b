"""`parklink token …` and other account commands."""
