"""Party records' photos and attachments move from MEDIA_ROOT (public) to the private storage.

The rows keep their names; each file is copied into the private storage and deleted from the
public one. Running it again after an interruption finishes the move. Backwards, the files go
back to the public storage.
"""

from django.core.files.storage import storages
from django.db import migrations

import core.fields
import core.private_files
from core.private_files import move_file

FILES = [("ActivityAttachment", "file"), ("ActivityPhoto", "image")]


def move(apps, source, target):
    for model_name, field in FILES:
        model = apps.get_model("party_building", model_name)
        for pk, name in model.objects.exclude(**{field: ""}).values_list("pk", field).iterator():
            moved = move_file(name, storages[source], storages[target])
            if moved != name:
                model.objects.filter(pk=pk).update(**{field: moved})


def to_private(apps, schema_editor):
    move(apps, "default", core.private_files.PRIVATE)


def to_public(apps, schema_editor):
    move(apps, core.private_files.PRIVATE, "default")


class Migration(migrations.Migration):
    dependencies = [
        ("party_building", "0003_history"),
    ]

    operations = [
        migrations.AlterField(
            model_name="activityattachment",
            name="file",
            field=core.fields.DocumentField(
                max_length=200,
                storage=core.private_files.private_storage,
                upload_to=core.fields.RandomName("party/attachments"),
                verbose_name="file",
            ),
        ),
        migrations.AlterField(
            model_name="activityphoto",
            name="image",
            field=core.fields.SafeImageField(
                max_length=200,
                storage=core.private_files.private_storage,
                upload_to=core.fields.RandomName("party/photos"),
                verbose_name="photo",
            ),
        ),
        migrations.RunPython(to_private, to_public, elidable=False),
    ]
