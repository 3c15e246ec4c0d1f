import pytest

from tests.cohorts.factories import cohort_with


@pytest.fixture
def cohort(manager, trainee, mentor):
    """A running cohort managed by the manager persona, with the trainee and mentor in it."""
    return cohort_with(manager=manager, trainees=[trainee], mentors=[mentor])


@pytest.fixture
def running(manager, trainee):
    """A running cohort with `manager` managing it and `trainee` in it."""
    return cohort_with(manager=manager, trainees=[trainee])
