from django.db import migrations


def load_defaults(apps, schema_editor):
    from timescales.defaults import CASELOAD_PROMISES, RULES

    Rule = apps.get_model("timescales", "TimescaleRule")
    Promise = apps.get_model("timescales", "CaseloadPromise")
    for order, rule in enumerate(RULES):
        Rule.objects.update_or_create(code=rule["code"], defaults={**rule, "sort_order": order})
    for team_type, max_cases in CASELOAD_PROMISES.items():
        Promise.objects.update_or_create(team_type=team_type, defaults={"max_cases": max_cases})


class Migration(migrations.Migration):
    dependencies = [("timescales", "0001_initial")]
    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
