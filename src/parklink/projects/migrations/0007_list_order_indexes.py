# Indexes for the project list at a province's size (100,000 projects and more).
#
# - The list's default orders, so a province's first page is read from the index (25 rows)
#   instead of sorting every visible project. The lists put NULLs last both ways
#   (queries.apply_filters), which a plain DESC index does not give, and SQLite cannot declare
#   NULLS LAST in an index (its lists are a county's size): PostgreSQL only.
# - (owner, signed_on): the visibility rule ("owned in the region or below, and either ours or
#   signed") answered from the index alone, so counting what a province sees reads no table row.

from django.db import migrations

ORDERS = {
    "projects_project_signed_order": "signed_on DESC NULLS LAST, id DESC",
    "projects_project_investment_order": "total_investment DESC NULLS LAST, id DESC",
}
PLAIN = {"projects_project_owner_signed": "owner_id, signed_on"}


def _wanted(vendor):
    return {**PLAIN, **ORDERS} if vendor == "postgresql" else PLAIN


def _create(apps, schema_editor):
    for name, columns in _wanted(schema_editor.connection.vendor).items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON projects_project ({columns})")


def _drop(apps, schema_editor):
    for name in _wanted(schema_editor.connection.vendor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("projects", "0006_investment_qualifiers")]

    operations = [migrations.RunPython(_create, _drop, elidable=False)]
