"""A snapshot's assignments handed in as a JSON list instead of text: ",6,9," becomes [6, 9].
The text is rewritten as JSON first, so that the column's type changes without losing a lesson."""

import json

from django.db import migrations, models


def text_to_json(apps, schema_editor):
    Snapshot = apps.get_model("courses", "CourseProgressSnapshot")
    changed = []
    for snapshot in Snapshot.objects.only("id", "handed_in").iterator():
        handed = sorted({int(i) for i in (snapshot.handed_in or "").strip(",").split(",") if i})
        snapshot.handed_in = json.dumps(handed)
        changed.append(snapshot)
    Snapshot.objects.bulk_update(changed, ["handed_in"], batch_size=500)


def json_to_text(apps, schema_editor):
    Snapshot = apps.get_model("courses", "CourseProgressSnapshot")
    changed = []
    for snapshot in Snapshot.objects.only("id", "handed_in").iterator():
        handed = json.loads(snapshot.handed_in or "[]")
        snapshot.handed_in = f",{','.join(str(i) for i in handed)}," if handed else ""
        changed.append(snapshot)
    Snapshot.objects.bulk_update(changed, ["handed_in"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("courses", "0005_lesson_markdown_body")]

    operations = [
        migrations.RunPython(text_to_json, json_to_text),
        migrations.AlterField(
            model_name="courseprogresssnapshot",
            name="handed_in",
            field=models.JSONField(blank=True, default=list, verbose_name="assignments handed in"),
        ),
    ]
