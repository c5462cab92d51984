"""Print each reminder mail as it arrives, rendered from sample data (nothing is sent or
saved): ``manage.py preview_party_mails`` for all, or name the kinds, e.g. ``daily``."""

from django.core.management.base import BaseCommand, CommandError

from party_building import mail_previews


class Command(BaseCommand):
    help = "Print each kind of party-building reminder mail, rendered from sample data."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="Kinds to show (default: every kind).")

    def handle(self, *args, kinds=(), **options):
        unknown = set(kinds) - set(mail_previews.PREVIEWS)
        if unknown:
            raise CommandError(
                f"Unknown kind(s): {', '.join(sorted(unknown))}; "
                f"known: {', '.join(sorted(mail_previews.PREVIEWS))}"
            )
        for key in kinds or sorted(mail_previews.PREVIEWS):
            subject, body = mail_previews.render(key)
            self.stdout.write(f"===== {key} =====")
            self.stdout.write(f"主题：{subject}")
            self.stdout.write(body)
