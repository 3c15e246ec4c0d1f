"""The curriculum copies of a tally as JSON instead of text: "12:60,13:100" becomes
{"12": 60, "13": 100} and ",6,9," becomes [6, 9]. The text is rewritten as JSON first, so that
the column's type changes without losing a figure."""

import json

from django.db import migrations, models


def text_to_json(apps, schema_editor):
    Tally = apps.get_model("cohorts", "AttendanceTally")
    changed = []
    for tally in Tally.objects.only("id", "course_percents", "handed_in").iterator():
        percents = {}
        for pair in (tally.course_percents or "").split(","):
            if ":" in pair:
                course_id, percent = pair.split(":", 1)
                percents[course_id.strip()] = int(percent)
        handed = sorted({int(i) for i in (tally.handed_in or "").strip(",").split(",") if i})
        tally.course_percents = json.dumps(percents)
        tally.handed_in = json.dumps(handed)
        changed.append(tally)
        if len(changed) >= 500:
            Tally.objects.bulk_update(changed, ["course_percents", "handed_in"])
            changed = []
    Tally.objects.bulk_update(changed, ["course_percents", "handed_in"])


def json_to_text(apps, schema_editor):
    Tally = apps.get_model("cohorts", "AttendanceTally")
    changed = []
    for tally in Tally.objects.only("id", "course_percents", "handed_in").iterator():
        percents = json.loads(tally.course_percents or "{}")
        handed = json.loads(tally.handed_in or "[]")
        tally.course_percents = ",".join(f"{c}:{p}" for c, p in percents.items())
        tally.handed_in = f",{','.join(str(i) for i in handed)}," if handed else ""
        changed.append(tally)
    Tally.objects.bulk_update(changed, ["course_percents", "handed_in"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0005_tally_active_trainee")]

    operations = [
        migrations.RunPython(text_to_json, json_to_text),
        migrations.AlterField(
            model_name="attendancetally",
            name="course_percents",
            field=models.JSONField(blank=True, default=dict, verbose_name="course percentages"),
        ),
        migrations.AlterField(
            model_name="attendancetally",
            name="handed_in",
            field=models.JSONField(blank=True, default=list, verbose_name="assignments handed in"),
        ),
    ]
