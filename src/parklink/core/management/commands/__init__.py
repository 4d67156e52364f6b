"""The `parklink` subcommands that belong to no single domain app (import, export)."""
