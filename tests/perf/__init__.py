"""Province scale: query counts, plans, cached figures and the bulk import (no timings)."""
