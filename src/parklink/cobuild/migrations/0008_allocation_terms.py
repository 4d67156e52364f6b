# The allocation rows keep only integers: the step, the share and the terms, which a run's
# millions of rows repeat from a handful of distinct combinations, move to one AllocationTerms
# row per distinct (run, step, share, terms), and each allocation names its row (`detail`).
#
# Runs already stored are converted in place, row for row the same values: their distinct
# combinations become AllocationTerms rows (numbered per run in sorted order, as new runs
# number theirs), each allocation gets its combination's id, then the three columns go. The
# reverse puts the texts back on every row. The runs' digests are untouched (they are of the
# engine's table, not of the stored layout), so old runs still reproduce.

import django.db.models.deletion
from django.db import migrations, models

ALLOCATION = "cobuild_allocation"
TERMS = "cobuild_allocationterms"


def move_texts(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    run, step, share, terms = (quote(c) for c in ("run_id", "step", "share", "terms"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TERMS} ({run}, {quote('code')}, {step}, {share}, {terms}) "
            f"SELECT d.{run}, ROW_NUMBER() OVER (PARTITION BY d.{run} "
            f"ORDER BY d.{step}, d.{share}, d.{terms}) - 1, d.{step}, d.{share}, d.{terms} "
            f"FROM (SELECT DISTINCT {run}, {step}, {share}, {terms} FROM {ALLOCATION}) AS d"
        )
        match = (
            f"t.{run} = {ALLOCATION}.{run} AND t.{step} = {ALLOCATION}.{step} "
            f"AND t.{share} = {ALLOCATION}.{share} AND t.{terms} = {ALLOCATION}.{terms}"
        )
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {ALLOCATION} SET {quote('detail_id')} = t.{quote('id')} "
                f"FROM {TERMS} AS t WHERE {match}"
            )
        else:
            cursor.execute(
                f"UPDATE {ALLOCATION} SET {quote('detail_id')} = "
                f"(SELECT t.{quote('id')} FROM {TERMS} AS t WHERE {match})"
            )


def put_texts_back(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    columns = ("step", "share", "terms")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sets = ", ".join(f"{quote(c)} = t.{quote(c)}" for c in columns)
            cursor.execute(
                f"UPDATE {ALLOCATION} SET {sets} FROM {TERMS} AS t "
                f"WHERE t.{quote('id')} = {ALLOCATION}.{quote('detail_id')}"
            )
        else:
            names = ", ".join(quote(c) for c in columns)
            picked = ", ".join(f"t.{quote(c)}" for c in columns)
            cursor.execute(
                f"UPDATE {ALLOCATION} SET ({names}) = (SELECT {picked} FROM {TERMS} AS t "
                f"WHERE t.{quote('id')} = {ALLOCATION}.{quote('detail_id')})"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("cobuild", "0007_run_inputs_columns"),
    ]

    operations = [
        migrations.CreateModel(
            name="AllocationTerms",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.PositiveIntegerField(verbose_name="编号")),
                ("step", models.CharField(max_length=32, verbose_name="阶段")),
                ("share", models.CharField(blank=True, max_length=64, verbose_name="比例")),
                (
                    "terms",
                    models.JSONField(blank=True, default=dict, verbose_name="计算依据"),
                ),
                (
                    "run",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="allocation_terms",
                        to="cobuild.run",
                        verbose_name="结算",
                    ),
                ),
            ],
            options={
                "verbose_name": "分账依据",
                "verbose_name_plural": "分账依据",
                "ordering": ["run", "code"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("run", "code"), name="cobuild_allocationterms_code"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="allocation",
            name="detail",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="cobuild.allocationterms",
                verbose_name="分账依据",
            ),
        ),
        migrations.RunPython(move_texts, put_texts_back),
        migrations.AlterField(
            model_name="allocation",
            name="detail",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="cobuild.allocationterms",
                verbose_name="分账依据",
            ),
        ),
        # Defaults for the texts, so that going back re-adds the columns filled ('' until
        # put_texts_back writes every row's own).
        migrations.AlterField(
            model_name="allocation",
            name="step",
            field=models.CharField(default="", max_length=32, verbose_name="阶段"),
        ),
        migrations.AlterField(
            model_name="allocation",
            name="share",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="比例"),
        ),
        migrations.RemoveField(model_name="allocation", name="step"),
        migrations.RemoveField(model_name="allocation", name="share"),
        migrations.RemoveField(model_name="allocation", name="terms"),
    ]
