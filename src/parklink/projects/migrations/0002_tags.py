"""The fixed project tags."""

from django.db import migrations

TAGS = [
    ("aid", "托底性帮扶", "Aid project"),
    ("key", "重点项目", "Key project"),
    ("provincial_major", "省级重大产业项目", "Provincial major project"),
    ("demonstration", "示范项目", "Demonstration project"),
    ("listed_company", "上市企业项目", "Listed-company project"),
]


def load(apps, schema_editor):
    Tag = apps.get_model("projects", "ProjectTag")
    for code, name, name_en in TAGS:
        Tag.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
