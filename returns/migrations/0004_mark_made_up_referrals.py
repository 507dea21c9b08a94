"""Referrals the Annex A import made up before Referral.placeholder existed were marked only in
their provenance ("referral made up to hold ..."): mark them, unless another record has given
them since (the rule the Annex A exporter used)."""

from django.db import migrations

HOLDER = "referral made up to hold"


def mark(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Referral = apps.get_model("children", "Referral")
    SourceRecord = apps.get_model("returns", "SourceRecord")
    ct = ContentType.objects.filter(app_label="children", model="referral").first()
    if ct is None:
        return
    sources = SourceRecord.objects.filter(content_type=ct)
    held = sources.filter(record_path__contains=HOLDER).values("object_id")
    given = sources.exclude(record_path__contains=HOLDER).values("object_id")
    Referral.objects.filter(pk__in=held).exclude(pk__in=given).update(placeholder=True)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("children", "0004_referral_placeholder"),
        ("returns", "0003_sourcerecord_one_index"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
