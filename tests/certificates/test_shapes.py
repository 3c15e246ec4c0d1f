"""The verify and "my certificates" pages read through compiled shapes (certificates.views): the
same certificate as `Certificate.objects.by_code` for full, short and mistyped codes, run after
run on one connection, and each holder only their own certificates."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates import views
from certificates.models import Certificate, is_short_code, normalize_code
from cohorts.models import Membership
from tests.api_lists import listed_ids
from tests.cohorts.factories import cohort_with
from tests.factories import ManagerFactory, StaffFactory, TraineeFactory

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


def _another_cohorts_certificate(cohort):
    """(its manager, its holder, the certificate) in a second cohort with its own manager."""
    other_manager, holder = ManagerFactory(), TraineeFactory()
    other = cohort_with(manager=other_manager, trainees=[holder])
    certificate = Certificate.objects.create(
        cohort=other,
        trainee=holder,
        name_ar="س",
        programme_ar="ب",
        cohort_name_ar="د",
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        issued_on=cohort.ends_on,
    )
    return other_manager, holder, certificate


def test_the_api_list_is_the_orm_rule_page_by_page(api_client, cert, cohort, manager, trainee):
    """The API's list (stored SQL, paged) gives each person what `visible_to` gives, newest
    first, with and without `?cohort=`; a manager whose membership ended sees nothing next."""
    other_manager, holder2, theirs = _another_cohorts_certificate(cohort)
    other = theirs.cohort
    staff = StaffFactory()
    persons = [trainee, holder2, manager, other_manager, staff, TraineeFactory()]
    assert Certificate.objects.visible_to(staff).count() == 2

    def listed(path):
        return listed_ids(api_client, path, page_size=1)

    for _ in range(2):  # the second round runs the stored SQL only
        for person in persons:
            api_client.force_authenticate(person)
            expected = Certificate.objects.visible_to(person).order_by("-id")
            assert listed("/api/v1/certificates/") == [c.pk for c in expected]
            for c in (cohort, other):
                assert listed(f"/api/v1/certificates/?cohort={c.pk}") == [
                    x.pk for x in expected.filter(cohort=c)
                ]
    Membership.objects.filter(user=manager, cohort=cohort).update(
        status=Membership.Status.WITHDRAWN
    )
    api_client.force_authenticate(manager)
    assert listed("/api/v1/certificates/") == []
    assert api_client.get("/api/v1/certificates/?cohort=\x00").status_code == 400


def test_downloads_and_credentials_read_what_visible_to_gives(
    client, cert, cohort, manager, trainee
):
    """`visible_certificate` (the download and credential pages) gives each person what
    `Certificate.objects.visible_to` gives, run after run on one connection, with the holder's
    row read with it when asked; a manager whose membership ended gets 404 next."""
    other_manager, holder2, theirs = _another_cohorts_certificate(cohort)
    persons = [trainee, holder2, manager, other_manager, StaffFactory(), TraineeFactory()]
    for _ in range(2):  # the second round runs the stored SQL only
        for person in persons:
            for certificate in (cert, theirs):
                expected = Certificate.objects.visible_to(person).filter(pk=certificate.pk).first()
                if expected is None:
                    with pytest.raises(Http404):
                        views.visible_certificate(person, certificate.pk)
                    continue
                found = views.visible_certificate(person, certificate.pk, holder=True)
                assert found == expected and found.file == expected.file
                with CaptureQueriesContext(connection) as queries:
                    assert found.trainee.pk == expected.trainee_id
                assert len(queries) == 0
    Membership.objects.filter(user=manager, cohort=cohort).update(
        status=Membership.Status.WITHDRAWN
    )
    with pytest.raises(Http404):
        views.visible_certificate(manager, cert.pk)
    client.force_login(manager)
    assert client.get(reverse("certificates:download", args=[cert.pk])).status_code == 404
    assert client.get(reverse("certificates:badge", args=[cert.pk])).status_code == 404
    client.force_login(trainee)
    assert client.get(reverse("certificates:download", args=[cert.pk])).status_code == 200
    assert client.get(reverse("certificates:badge", args=[theirs.pk])).status_code == 404
