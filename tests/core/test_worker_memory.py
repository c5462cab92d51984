"""What a web worker loads: libraries that only a download or an import needs wait for it."""

import json
import shutil
import subprocess
import sys

from tests.core.test_headers import ROOT, production_env

# Imported the way gunicorn imports the site, then a page served.
PROBE = """
import json, sys
import config.wsgi
from django.conf import settings
from django.test import Client, override_settings
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
status = Client().get("/", secure=True, HTTP_HOST="lvxie.example.org").status_code
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def test_a_worker_serving_pages_has_not_loaded_the_spreadsheet_library(tmp_path, migrated_sqlite):
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
    assert probe["status"] == 200
    assert "django.contrib.admin" in probe["modules"]  # the whole site was loaded
    assert not [name for name in probe["modules"] if name.split(".")[0] == "openpyxl"]
