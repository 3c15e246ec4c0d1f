"""Container health check: GET /healthz on the local gunicorn, exit 0 only on HTTP 200.

The slim image has no curl, so this uses the standard library. Django answers 400 to a Host it
does not know, so the request names the first host of ALLOWED_HOSTS instead of 127.0.0.1."""

import os
import sys
import urllib.error
import urllib.request

PORT = os.environ.get("HEALTHCHECK_PORT", "8000")


def host_header() -> str:
    first = os.environ.get("ALLOWED_HOSTS", "").split(",")[0].strip()
    # ".example.org" allows example.org and its subdomains; "*" allows anything.
    first = first.lstrip(".")
    return first if first and first != "*" else "localhost"


def main() -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}/healthz", headers={"Host": host_header()}
    )
    try:
        # A fixed loopback http address, not user input.
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"healthz failed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
