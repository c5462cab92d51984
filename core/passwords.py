"""Password rules of our own, beside Django's validators (config/settings.py)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Shorter names ("li") occur by chance inside good passwords.
MIN_NAME_LENGTH = 3


class UsernameInPasswordValidator:
    """A password may not contain the user name: "editoreditor2024" is guessed at once.

    Django's similarity validator compares the whole password with the name, so the name
    repeated or with digits added passes it.
    """

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").casefold()
        if len(username) >= MIN_NAME_LENGTH and username in password.casefold():
            raise ValidationError(
                _("The password must not contain the user name."),
                code="password_contains_username",
            )

    def get_help_text(self):
        return _("Your password must not contain your user name.")
