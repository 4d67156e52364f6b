"""The rules of co-built parks; the only code that changes an agreement, its rules or runs.

`access` says who may change what, `lifecycle` moves an agreement's status, `agreements`
creates and edits drafts, `details` their companies, fields, policies and enterprises,
`versions` picks the version in force and amends, `rules` saves validated rules, `records`
keeps the parties' figures, `runs` settles a period with the ledger engine, `confirmations`
records each party's sign-off, `statements` sums a party's share, `documents` reads and writes
the YAML document of an agreement.
"""
