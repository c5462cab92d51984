"""Two-factor login (TOTP, with recovery codes) for staff who publish or see personal records.

django-otp keeps the devices and checks the codes; this module decides who must use them,
and offers enrolment (a QR code for an authenticator app) and verification.

Who must use a second factor is decided by what they may do: every superuser, and every
account holding a permission that an app declared sensitive with
``require_second_factor_for`` in its ``AppConfig.ready``. Where a page lives decides nothing:
the admin site (``core.adminsite``) and every staff view outside it
(``verified_permission_required``, ``VerifiedPermissionRequiredMixin``) ask the same
question of the user.
"""

import base64
import time
from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import audit

RECOVERY_CODES = 10
# An account without a device enrols only this soon after typing its password.
ENROL_WITHIN_SECONDS = 10 * 60
SIGNED_IN_AT = "_signed_in_with_password_at"

# Filled by the apps (AppConfig.ready): "app_label.codename", or "app_label.*" for every
# permission of an app.
_sensitive_permissions: set[str] = set()


def require_second_factor_for(*permissions: str) -> None:
    """Declare that holding any of ``permissions`` requires a second factor."""
    for permission in permissions:
        app_label, _dot, codename = permission.partition(".")
        if not (app_label and codename):
            raise ValueError(f"Not a permission: {permission!r} (app_label.codename)")
        _sensitive_permissions.add(permission)


def sensitive_permissions() -> frozenset[str]:
    return frozenset(_sensitive_permissions)


def needs_two_factor(user) -> bool:
    """Whether ``user`` may do something that needs a second factor."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return any(
        permission in _sensitive_permissions
        or f"{permission.partition('.')[0]}.*" in _sensitive_permissions
        for permission in user.get_all_permissions()
    )


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_verify(user) -> bool:
    """Whether ``user`` must type a second factor before doing what they are allowed to."""
    if not (settings.TWO_FACTOR_REQUIRED and needs_two_factor(user)):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified is not None and is_verified())


def second_factor_redirect(request, next_url=None):
    """Send the user to verification (or to enrolment if they have no device yet), and back
    to ``next_url`` (by default the page asked for) afterwards."""
    step = "core:2fa-verify" if has_device(request.user) else "core:2fa-setup"
    target = request.get_full_path() if next_url is None else next_url
    query = f"?{urlencode({'next': target})}" if target else ""
    return redirect(f"{reverse(step)}{query}")


def verified_permission_required(*perms):
    """A function view for users holding all ``perms``, verified if they need a second factor.

    Anonymous: the login page. Signed in without the permissions: 403. Needs a second
    factor and has not typed it in this session: verification (or enrolment). Otherwise
    the view.
    """

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.has_perms(perms):
                raise PermissionDenied
            if must_verify(user):
                return second_factor_redirect(request)
            return view(request, *args, **kwargs)

        return checked

    return decorator


class VerifiedPermissionRequiredMixin(PermissionRequiredMixin):
    """``verified_permission_required`` for class-based views (``permission_required``)."""

    raise_exception = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.has_permission():
            raise PermissionDenied(self.get_permission_denied_message())
        if must_verify(request.user):
            return second_factor_redirect(request)
        # Skip PermissionRequiredMixin.dispatch: the permissions were checked above.
        return super(PermissionRequiredMixin, self).dispatch(request, *args, **kwargs)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("admin:index")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("admin:index")


def qr_code_svg(data: str) -> str:
    # Imported here: with the XML library it loads, 13 MB that only an enrolment page needs.
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode").split("?>", 1)[-1]


@receiver(user_logged_in)
def _remember_password_login(sender, request, user, **kwargs):
    # The only way to sign in is the password form; enrolment must follow it closely.
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()


def _fresh_password_login(request) -> bool:
    logged_in_at = request.session.get(SIGNED_IN_AT)
    return logged_in_at is not None and time.time() - logged_in_at <= ENROL_WITHIN_SECONDS


def _verified(request, device) -> None:
    """Mark the session verified by ``device``, under a new session key."""
    otp_login(request, device)
    request.session.cycle_key()


@login_required
def setup(request):
    """Enrol an authenticator app: scan, confirm with a code, keep the recovery codes.

    Only right after typing the password: a session that is older (or was stolen) must sign
    in again before it can add a device.
    """
    if has_device(request.user):
        return redirect(f"{reverse('core:2fa-verify')}?{urlencode({'next': _next(request)})}")
    if not _fresh_password_login(request):
        audit.record("two_factor_enrolment_refused", request)
        target = f"{reverse('core:2fa-setup')}?{urlencode({'next': _next(request)})}"
        logout(request)
        messages.info(
            request,
            _(
                "Two-factor login can only be set up within ten minutes of signing in. "
                "Please sign in again."
            ),
        )
        return redirect_to_login(target)
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save()
            _verified(request, device)
            codes = _new_recovery_codes(request.user)
            audit.record("two_factor_enrolled", request)
            return render(
                request, "core/2fa_recovery_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error("token", _("The code is wrong or has expired; type the code shown now."))
    return render(
        request,
        "core/2fa_setup.html",
        {
            "form": form,
            "qr_svg": qr_code_svg(device.config_url),
            "secret": base64.b32encode(device.bin_key).decode(),
            "next": _next(request),
        },
    )


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@login_required
def verify(request):
    """Type the authenticator's code, or one recovery code (each works once)."""
    form = TokenForm(request.POST or None)
    if form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is not None:
            _verified(request, device)
            audit.record("two_factor_verified", request, device=device.name)
            return redirect(_next(request))
        audit.record("two_factor_failed", request)
        form.add_error("token", _("The code is wrong or has expired."))
    return render(request, "core/2fa_verify.html", {"form": form, "next": _next(request)})
