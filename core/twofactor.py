"""Two-factor login (TOTP, with recovery codes) for staff who publish or see personal records.

django-otp keeps the devices and checks the codes; this module decides who must use them,
and offers enrolment (a QR code for an authenticator app) and verification.
"""

import base64
from functools import wraps
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import audit

# Publishing, and reading the register or party records, need the second factor.
SENSITIVE_PERMISSIONS = {"news.publish_article", "members.view_lawyer", "members.view_lawfirm"}
SENSITIVE_APPS = {"party_building"}
RECOVERY_CODES = 10


def needs_two_factor(user) -> bool:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    permissions = user.get_all_permissions()
    return bool(permissions & SENSITIVE_PERMISSIONS) or any(
        permission.split(".", 1)[0] in SENSITIVE_APPS for permission in permissions
    )


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_verify(user) -> bool:
    """Whether ``user`` must type a second factor before doing what they are allowed to."""
    if not (settings.TWO_FACTOR_REQUIRED and needs_two_factor(user)):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified is not None and is_verified())


def second_factor_redirect(request):
    """Send the user to verification (or to enrolment if they have no device yet)."""
    step = "core:2fa-verify" if has_device(request.user) else "core:2fa-setup"
    return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")


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


class RequireTwoFactorMiddleware:
    """Sends staff who need a second factor to enrolment or verification before any staff page."""

    PROTECTED = ("/admin/", "/party/")
    OPEN = ("/admin/login/", "/admin/logout/", "/admin/jsi18n/", "/account/2fa/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if (
            settings.TWO_FACTOR_REQUIRED
            and path.startswith(self.PROTECTED)
            and not path.startswith(self.OPEN)
            and needs_two_factor(request.user)
            and not request.user.is_verified()
        ):
            step = "core:2fa-verify" if has_device(request.user) else "core:2fa-setup"
            return redirect(f"{reverse(step)}?next={request.get_full_path()}")
        return self.get_response(request)


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
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode").split("?>", 1)[-1]


@login_required
def setup(request):
    """Enrol an authenticator app: scan, confirm with a code, keep the recovery codes."""
    if has_device(request.user):
        return redirect(f"{reverse('core:2fa-verify')}?next={_next(request)}")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save()
            otp_login(request, device)
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
            otp_login(request, device)
            audit.record("two_factor_verified", request, device=device.name)
            return redirect(_next(request))
        audit.record("two_factor_failed", request)
        form.add_error("token", _("The code is wrong or has expired."))
    return render(request, "core/2fa_verify.html", {"form": form, "next": _next(request)})
