# The qualifier of each investment figure: exact, at least (超/以上/逾) or about (约/近/左右).

from django.db import migrations, models

QUALIFIERS = [("exact", "确数"), ("at_least", "以上(下限)"), ("about", "约数")]


def _total() -> models.CharField:
    return models.CharField(
        blank=True,
        choices=QUALIFIERS,
        default="exact",
        help_text="原文写“超/以上/逾”为以上(下限),写“约/近/左右”为约数",
        max_length=16,
        verbose_name="总投资口径",
    )


def _phase() -> models.CharField:
    return models.CharField(
        blank=True,
        choices=QUALIFIERS,
        default="exact",
        max_length=16,
        verbose_name="一期投资口径",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0005_lead_source_one_liaison_choice"),
    ]

    operations = [
        migrations.AddField("project", "total_investment_qualifier", _total()),
        migrations.AddField("project", "phase_investment_qualifier", _phase()),
        migrations.AddField("historicalproject", "total_investment_qualifier", _total()),
        migrations.AddField("historicalproject", "phase_investment_qualifier", _phase()),
    ]
