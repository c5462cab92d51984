"""Load the small demo set for `make run` and prepare the local accounts; a second run adds nothing.

The set shows the whole site: the seed article with its meeting, speech and participants,
every column of the home page filled over several years, 30 law firms and 300 lawyers for
the public lookups, and a dozen party branches with a year of activities for the compliance
board. It is ``generate_demo_data`` with small sizes and today as the last day.

The accounts (admin, editor, reviewer, and secretary for one branch) keep their passwords
across runs: made once, kept in a git-ignored file, printed each time; their login lockouts
are cleared on every run.
"""

import io
import secrets
import time
from pathlib import Path

from axes.utils import reset as reset_lockouts
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from members.models import LawFirm
from news.models import Article
from party_building.models import OrganizationManager, PartyOrganization

DEMO_DIR = Path(__file__).resolve().parents[2]
ACCOUNTS_FILE = Path(settings.BASE_DIR) / "var" / "demo-accounts.txt"

# Local accounts for trying the site: (username, groups, superuser, what they do).
ACCOUNTS = (
    ("admin", (), True, "超级用户"),
    ("editor", ("编辑",), False, "编辑：撰写、提交审核"),
    ("reviewer", ("审核",), False, "审核：发布、撤回、置顶"),
    ("secretary", ("支部书记",), False, "支部书记：记录本支部的活动"),
)
# The small set: sizes for generate_demo_data, over this many years up to today.
SIZES = {
    "articles": 300,
    "events": 30,
    "people": 200,
    "firms": 30,
    "lawyers": 300,
    "branches": 12,
}
YEARS = 8
SEED = 1


class Command(BaseCommand):
    help = (
        "Load the small demo set (once) and prepare the local accounts admin, editor, reviewer "
        "and secretary, printing their passwords, which are kept across runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--accounts-file",
            type=Path,
            default=ACCOUNTS_FILE,
            help=f"Where the accounts' passwords are kept (default {ACCOUNTS_FILE}).",
        )
        parser.add_argument(
            "--seed-only",
            action="store_true",
            help="Only the seed article(s) in demo/articles and the accounts, no generated set.",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        call_command(
            "import_articles",
            *sorted(DEMO_DIR.glob("articles/*.txt")),
            column="speeches",
            record_facts=True,
            stdout=self.stdout,
        )
        if not options["seed_only"]:
            self.load_set()
        passwords = kept_passwords(options["accounts_file"])
        with transaction.atomic():
            prepare_accounts(passwords)
        for username, _, _, role in ACCOUNTS:
            self.stdout.write(f"  {username:<10} {passwords[username]}  （{role}）")
        self.stdout.write(
            self.style.SUCCESS(
                f"本地账号与密码如上（保存在 {options['accounts_file']}），登录锁定已解除。"
                f"用时 {time.perf_counter() - started:.1f} 秒。"
            )
        )

    def load_set(self) -> None:
        # The seed is one article; more means the set (or real content) is there already.
        if Article.objects.count() > 1 or LawFirm.objects.exists():
            self.stdout.write("演示数据已在库中，未再添加。")
            return
        call_command(
            "generate_demo_data",
            **SIZES,
            years=YEARS,
            kept_year=True,
            until=timezone.localdate(),
            seed=SEED,
            stdout=self.stdout,
            stderr=io.StringIO(),  # no progress bars for a set this small
        )


def kept_passwords(path: Path) -> dict[str, str]:
    """The accounts' passwords from ``path``, making (and keeping) those that are missing."""
    passwords = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            username, _, password = line.strip().partition(" ")
            if username and password:
                passwords[username] = password
    missing = [username for username, *_ in ACCOUNTS if username not in passwords]
    if missing:
        for username in missing:
            passwords[username] = secrets.token_urlsafe(12)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "".join(f"{username} {password}\n" for username, password in passwords.items()),
            encoding="utf-8",
        )
        path.chmod(0o600)
    return passwords


def prepare_accounts(passwords: dict[str, str]) -> None:
    """Create or update the accounts with their kept passwords, and clear their lockouts."""
    User = get_user_model()
    branch = PartyOrganization.objects.filter(kind=PartyOrganization.Kind.BRANCH).first()
    for username, group_names, is_superuser, _ in ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        user.is_staff = True
        user.is_superuser = is_superuser
        user.is_active = True
        if not user.check_password(passwords[username]):
            user.set_password(passwords[username])
        user.save()
        user.groups.set(Group.objects.filter(name__in=group_names))
        if "支部书记" in group_names and branch is not None:
            OrganizationManager.objects.get_or_create(user=user, organization=branch)
        reset_lockouts(username=username)
