"""What a web worker loads: libraries that only a download, an import, an image upload or a
second-factor enrolment needs wait for it, and the word segmenter reads its dictionary without
pkg_resources."""

import json
import shutil
import subprocess
import sys

from tests.core.test_headers import ROOT, production_env

# Imported the way gunicorn imports the site, then a page and a search served (the search
# loads the segmenter's dictionary).
PROBE = """
import json, sys
import config.wsgi
from django.conf import settings
from django.test import Client, override_settings
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
client = Client()
status = client.get("/", secure=True, HTTP_HOST="lvxie.example.org").status_code
search = client.get("/search/?q=井冈山座谈会", secure=True, HTTP_HOST="lvxie.example.org")
from news import segmentation
print(json.dumps({
    "status": [status, search.status_code],
    "words": segmentation.jieba.lcut("司法部在井冈山召开座谈会"),
    "modules": sorted(sys.modules),
}))
"""


def test_a_worker_serving_pages_loads_only_what_pages_need(tmp_path, migrated_sqlite):
    database = tmp_path / "db.sqlite3"
    shutil.copyfile(migrated_sqlite, database)
    output = subprocess.run(  # noqa: S603 (our own interpreter, no shell)
        [sys.executable, "-c", PROBE],
        env=production_env(
            DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE="config.settings"
        ),
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    probe = json.loads(output.strip().splitlines()[-1])
    assert probe["status"] == [200, 200]
    assert "django.contrib.admin" in probe["modules"]  # the whole site was loaded
    assert "井冈山" in probe["words"]  # the dictionary was read
    loaded = {name.split(".")[0] for name in probe["modules"]}
    # The spreadsheet library (13.5 MB), the QR code maker with its XML library (13 MB),
    # Pillow (4 MB).
    assert not loaded & {"openpyxl", "pkg_resources", "qrcode", "lxml", "PIL"}
