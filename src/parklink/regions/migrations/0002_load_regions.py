"""Load every province, city and county from the table cpca ships."""

from django.db import migrations


def load(apps, schema_editor):
    from parklink.regions.table import build_rows

    Region = apps.get_model("regions", "Region")
    Region.objects.bulk_create(
        [
            Region(adcode=row.adcode, name=row.name, full_name=row.full_name, level=row.level,
                   parent_id=row.parent, path=row.path, longitude=row.longitude,
                   latitude=row.latitude)
            for row in build_rows()
        ],
        batch_size=500,
        ignore_conflicts=True,
    )


def unload(apps, schema_editor):
    apps.get_model("regions", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
