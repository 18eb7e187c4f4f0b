from django.db import migrations


def rows_for_existing_sites(apps, schema_editor):
    Site = apps.get_model("accounts", "Site")
    SiteGeneration = apps.get_model("pagecache", "SiteGeneration")
    SiteGeneration.objects.bulk_create(
        [SiteGeneration(site_id=pk) for pk in Site.objects.values_list("pk", flat=True)], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("pagecache", "0001_site_generation")]

    operations = [migrations.RunPython(rows_for_existing_sites, migrations.RunPython.noop)]
