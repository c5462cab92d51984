"""Granting permissions to staff groups from data migrations."""

from django.contrib.auth.management import create_permissions


def grant_permissions(apps, groups: dict[str, list[str]]) -> None:
    """Give each group (created if missing) the permissions named "app_label.codename".

    On a new database the permissions do not exist yet while migrations run (Django makes
    them after the last one), so they are created first.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codes in groups.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
