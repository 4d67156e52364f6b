"""The chains app's rules: templates and versions, classification, places, coverage, targets.

`templates` (copy, edit, version), `classification` (the registry in bulk, changed
enterprises, corrections, accuracy), `places` (what "a place" holds), `coverage` (segments per
place, comparison, a metro area's division of labour), `targets` (ranked enterprises and the
leads made from them). Every function that reads for a user takes the user and scopes to what
they may see.
"""
