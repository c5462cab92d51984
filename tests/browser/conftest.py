from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client


def log_in(page, live_server, username, password):
    """Sign in through the admin's login form, as a person does; the page ends on /admin/."""
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def resizer(page):
    """A function setting the page's viewport to a width and height: one DevTools call.

    page.set_viewport_size also resizes the headless window around the page, which the layout
    does not see (window.outerWidth aside) and which cost about as much again, at every call;
    the pages measured at several widths make hundreds. The page's own metrics are checked by
    the tests that use it (innerWidth).
    """
    session = page.context.new_cdp_session(page)

    def resize(width, height):
        metrics = {"width": width, "height": height, "screenWidth": width, "screenHeight": height}
        session.send(
            "Emulation.setDeviceMetricsOverride",
            {**metrics, "deviceScaleFactor": 1, "mobile": False},
        )

    return resize


def sign_in(context, live_server, username):
    """Give a browser context the session of `username`, made on the server without the form.

    For journeys that are not about signing in: the form costs two page loads and a post
    each time. The session is the one a sign-in makes (django.contrib.auth's login, its
    signals included); the context's pages are left where they are.
    """
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
                "httpOnly": settings.SESSION_COOKIE_HTTPONLY,
                "sameSite": settings.SESSION_COOKIE_SAMESITE,
            }
        ]
    )
