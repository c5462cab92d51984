"""Regenerate the pictures in docs/screenshots/ from the demo set, in chromium (`make screenshots`).

A scratch SQLite database in var/ gets the migrations and `setup_demo`'s small set; the site
is served on a free local port (DEBUG, no second factor, as `make run` does) and Playwright
photographs the pages a newcomer sees first, at 1366 px (most office laptops). The pictures
follow the site as it is, so they never go stale. Needs chromium (CHROMIUM, default
/usr/bin/chromium) and the CJK fonts (fonts-noto-cjk).
"""

import argparse
import os
import socket
import subprocess  # nosec B404  # runs this project's own manage.py
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 1366, 900
FIRST_LAWYER = (
    "from members.models import Lawyer; "
    "print(Lawyer.objects.practising().exclude(firm=None).order_by('pk')[0].license_number)"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    options = parser.parse_args()

    scratch = ROOT / "var" / "screenshots"
    scratch.mkdir(parents=True, exist_ok=True)
    database = scratch / "db.sqlite3"
    database.unlink(missing_ok=True)
    accounts = scratch / "accounts.txt"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "1",
        "TWO_FACTOR_REQUIRED": "0",
        "MEDIA_ROOT": str(scratch / "media"),
        "PRIVATE_MEDIA_ROOT": str(scratch / "private"),
    }
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "setup_demo", "--accounts-file", str(accounts))
    passwords = dict(line.split(" ", 1) for line in accounts.read_text().splitlines())
    licence = manage(env, "shell", "-c", FIRST_LAWYER).split()[-1]  # after shell's notices

    port = free_port()
    server = subprocess.Popen(  # noqa: S603  # nosec B603  # our manage.py, fixed arguments
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base)
        options.out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=options.chromium)
            photograph(browser, base, passwords, licence, options.out)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def photograph(browser, base: str, passwords: dict[str, str], licence: str, out: Path) -> None:
    reader = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
    shoot(reader, f"{base}/", out / "home.png")
    shoot(reader, f"{base}/lawyers/lookup/?license_number={licence}", out / "lookup.png")
    editor = logged_in(browser, base, "editor", passwords["editor"])
    shoot(editor, f"{base}/admin/", out / "admin.png")
    administrator = logged_in(browser, base, "admin", passwords["admin"])
    shoot(administrator, f"{base}/party/board/", out / "board.png")


def logged_in(browser, base: str, username: str, password: str):
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("[type=submit]").click()
    page.wait_for_load_state()
    return page


def shoot(page, url: str, path: Path) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(path))
    print(f"{path.relative_to(ROOT)}  {page.url}")


def manage(env: dict, *arguments: str) -> str:
    return subprocess.run(  # noqa: S603  # nosec B603  # our manage.py, fixed arguments
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"{base}/robots.txt", timeout=5)  # noqa: S310  # nosec B310  # our local server
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


if __name__ == "__main__":
    main()
