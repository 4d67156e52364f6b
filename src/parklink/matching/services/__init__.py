"""The only code that changes matching's records: listings, events, policies."""
