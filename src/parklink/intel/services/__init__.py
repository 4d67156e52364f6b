"""The intel app's rules: the only code that writes documents, items and decisions.

`ingest` reads articles into the queue (text, files, zips) without duplicates, `dedupe`
compares an item with the library and the queue, `review` records every decision (edit,
accept as a new lead or as an update of a library project, merge, reject).
"""

from parklink.intel.services.ingest import (
    FileOutcome,
    IngestOutcome,
    expand_files,
    ingest_files,
    ingest_text,
)
from parklink.intel.services.review import accept, edit_item, merge, reject

__all__ = [
    "FileOutcome",
    "IngestOutcome",
    "accept",
    "edit_item",
    "expand_files",
    "ingest_files",
    "ingest_text",
    "merge",
    "reject",
]
