"""The verify and "my certificates" pages read through compiled shapes (certificates.views): the
same certificate as `Certificate.objects.by_code` for full, short and mistyped codes, run after
run on one connection, and each holder only their own certificates."""

import pytest
from django.urls import reverse

from certificates import views
from certificates.models import Certificate, is_short_code, normalize_code
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def _orm(raw):
    return Certificate.objects.by_code(raw).order_by("pk").first()


def test_codes_find_what_by_code_finds(client, cert):
    codes = [
        cert.code,
        cert.code.lower(),
        cert.display_code,
        cert.display_code.lower(),
        cert.short_code,
        "A" * 26,
        "A" * 13,
    ]
    for _ in range(2):  # the second round runs the stored SQL only
        for raw in codes:
            code = normalize_code(raw)
            found = views._BY_CODE.first(code, short=is_short_code(code)) if code else None
            assert found == _orm(raw), raw
            status = 200 if found else 404
            assert client.get(reverse("certificates:verify", args=[raw])).status_code == status
    assert views._BY_CODE.first(cert.code, short=False) == cert
    assert views._BY_CODE.first(cert.short_code, short=True) == cert
    assert views._BY_CODE.first(cert.short_code, short=False) is None


def test_each_holder_lists_only_their_own(client, cert, trainee):
    other = TraineeFactory()
    assert views._MINE.list(trainee.pk) == [cert]
    assert views._MINE.list(other.pk) == []
    client.force_login(other)
    page = client.get(reverse("certificates:mine"))
    assert page.status_code == 200 and cert.display_code not in page.content.decode()
    client.force_login(trainee)
    assert cert.display_code in client.get(reverse("certificates:mine")).content.decode()
