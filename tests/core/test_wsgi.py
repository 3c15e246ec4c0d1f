"""The WSGI entry point freezes what a worker loads once (config.wsgi.settle) and still serves."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, io, json
import config.wsgi as entry
frozen = gc.get_freeze_count()
statuses = []
def start_response(status, headers, exc_info=None):
    statuses.append(status)
environ = {
    "REQUEST_METHOD": "GET", "PATH_INFO": "/ping", "QUERY_STRING": "", "SERVER_NAME": "localhost",
    "SERVER_PORT": "80", "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http", "HTTP_HOST": "localhost",
}
body = b"".join(entry.application(environ, start_response))
print(json.dumps({"frozen": frozen, "status": statuses[0], "body": body.decode()}))
"""


def test_the_entry_point_freezes_what_it_loaded_and_serves():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # Django, the apps, their models and the URL patterns: tens of thousands of objects.
    assert result["frozen"] > 50_000
    assert result["status"].startswith("200")
