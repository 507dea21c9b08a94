"""The default retention schedule, each with its source (decision 0031). A council changes it in the admin."""

from django.db import migrations

DEFAULTS = [
    (
        "adopted",
        100,
        "adoption_order",
        "Disclosure of Adoption Information (Post-Commencement Adoptions) Regulations 2005, reg. 6: "
        "100 years from the date of the adoption order",
    ),
    (
        "looked_after",
        75,
        "birth",
        "Care Planning, Placement and Case Review (England) Regulations 2010, reg. 50: until the 75th "
        "anniversary of the child's birth (15 years from death if the child dies before 18)",
    ),
    (
        "child_in_need",
        25,
        "birth",
        "No statute: each council decides (published schedules range from 18 plus 3 years of inactivity to "
        "35 years after the last contact). Line of Sight's default, until the 25th birthday, is a placeholder "
        "for the council's own",
    ),
]


def add(apps, schema_editor):
    RetentionRule = apps.get_model("governance", "RetentionRule")
    for kind, years, counted_from, source in DEFAULTS:
        RetentionRule.objects.get_or_create(
            kind=kind, defaults={"years": years, "counted_from": counted_from, "source": source}
        )


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_retention_schedule")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
