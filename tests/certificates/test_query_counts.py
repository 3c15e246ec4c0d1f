"""The certificate pages and list endpoint run the same number of queries whatever the number
of trainees and certificates: counted exactly, at two sizes."""

import pytest
from django.urls import reverse

from certificates import services
from cohorts.models import Membership
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("others", [1, 5])
def test_certificate_pages_run_constant_queries(
    client, cohort, trainee, manager, others, django_assert_num_queries
):
    for person in TraineeFactory.create_batch(others):
        Membership.objects.create(cohort=cohort, user=person, role="trainee")
        services._new_certificate(cohort, person, actor=manager)
    mine = services._new_certificate(cohort, trainee, actor=manager)
    services.render_and_store(mine.pk)

    def page(url, queries):
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200

    page(reverse("certificates:verify", args=[mine.code]), 1)
    client.force_login(trainee)
    page(reverse("certificates:mine"), 4)
    client.force_login(manager)
    # The page's rows with their certificates and the whole cohort's figures and count in one
    # query (certificates.eligibility.ByName) after the sessions, curriculum and marks its
    # figures are built from; the latest bulk run and a count of the PDFs that could not be made.
    page(reverse("certificates:manage", args=[cohort.pk]), 9)
    # One page holds the cohort's certificates: no count query (core.paging).
    page(reverse("certificates_api:certificate-list") + f"?cohort={cohort.pk}", 3)
    # Eligibility by name, a page at a time, read as on the manager's page.
    eligibility = reverse("certificates_api:certificate-eligibility") + f"?cohort={cohort.pk}"
    page(eligibility, 6)
