import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_DIR = Path(settings.BASE_DIR) / "demo"

# Local accounts for trying the site: (username, groups, superuser).
DEMO_ACCOUNTS = [
    ("admin", [], True),
    ("editor", ["编辑"], False),
    ("reviewer", ["审核"], False),
]


class Command(BaseCommand):
    help = "Load the demo content and create local accounts with a fresh printed password."

    def handle(self, *args, **options):
        call_command(
            "import_articles",
            *sorted(DEMO_DIR.glob("articles/*.txt")),
            column="speeches",
            record_facts=True,
            stdout=self.stdout,
        )
        password = secrets.token_urlsafe(12)
        User = get_user_model()
        for username, group_names, is_superuser in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = True
            user.is_superuser = is_superuser
            user.set_password(password)
            user.save()
            user.groups.set(Group.objects.filter(name__in=group_names))
        names = "、".join(username for username, _, _ in DEMO_ACCOUNTS)
        self.stdout.write(self.style.SUCCESS(f"本地账号 {names} 的密码都是：{password}"))
