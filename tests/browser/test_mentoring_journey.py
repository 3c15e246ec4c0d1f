"""Mentoring in a real browser: the manager runs a match round, pins a pair and publishes; the
mentor accepts, logs the first meeting and reports the fit."""

import pytest
from django.utils import timezone

from cohorts.models import Membership
from mentoring import services
from mentoring.models import MatchPin, MatchRound, Meeting, Mentorship
from tests.browser.test_proposal_journey import click_and_wait, sign_in
from tests.cohorts.factories import cohort_with
from tests.factories import ManagerFactory, MentorFactory, TraineeFactory

pytestmark = pytest.mark.browser


def test_round_pin_publish_accept_meeting_fit(open_browser):
    manager = ManagerFactory()
    trainees = [TraineeFactory(governorate="najaf") for _ in range(3)]
    near, far = MentorFactory(governorate="najaf"), MentorFactory(governorate="basra")
    cohort = cohort_with(manager=manager, trainees=trainees)
    for person in trainees:
        services.save_intake(
            actor=person,
            membership=Membership.objects.get(cohort=cohort, user=person),
            topics=["elections"],
            languages=["ar"],
        )
    for mentor in (near, far):
        services.save_mentor_profile(
            actor=mentor, user=mentor, topics=["elections"], languages=["ar"], capacity=3
        )

    # The manager runs a round with the default weights, pins a pair the engine would not
    # have made (the trainee with the mentor from another governorate) and publishes.
    office = open_browser()
    sign_in(office, manager)
    office.page.goto(office.url(f"/mentoring/cohorts/{cohort.pk}/round/"))
    assert office.html_attributes() == ("rtl", "ar")
    assert click_and_wait(office.page, "main form:not([action]) [type=submit]").ok
    round_ = MatchRound.objects.get(cohort=cohort)
    assert round_.status == MatchRound.Status.DRAFT
    assert set(round_.proposals.values_list("mentor_id", flat=True)) == {near.pk}
    edit = office.page.locator("main form:has(select[name=trainee])")
    edit.locator("select[name=trainee]").select_option(str(trainees[0].pk))
    edit.locator("select[name=mentor]").select_option(str(far.pk))
    with office.page.expect_navigation() as navigation:
        edit.locator("button:not([formaction])").click()
    assert navigation.value.ok
    assert MatchPin.objects.filter(round=round_, trainee=trainees[0], mentor=far).exists()
    pinned = round_.proposals.get(trainee=trainees[0])
    assert pinned.mentor_id == far.pk and pinned.pinned
    assert office.page.locator("td .badge").count() == 1  # shown as pinned
    assert click_and_wait(office.page, f"form[action$='/rounds/{round_.pk}/publish/'] button").ok
    round_.refresh_from_db()
    assert round_.status == MatchRound.Status.PUBLISHED
    mentorship = Mentorship.objects.get(trainee=trainees[0])
    assert mentorship.mentor == far and mentorship.status == Mentorship.Status.PROPOSED

    # The mentor finds the mentee in their list, accepts, logs a meeting and reports the fit.
    mentor = open_browser()
    sign_in(mentor, far)
    mentor.page.goto(mentor.url("/mentoring/mentees/"))
    click_and_wait(mentor.page, f"a[href='/mentoring/mentorships/{mentorship.pk}/']")
    assert click_and_wait(mentor.page, f"form[action$='/{mentorship.pk}/accept/'] button").ok
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ACTIVE
    meeting = mentor.page.locator(f"form[action$='/{mentorship.pk}/meetings/']")
    meeting.locator("[name=date]").fill(timezone.localdate().isoformat())
    meeting.locator("[name=duration_minutes]").fill("45")
    meeting.locator("[name=topics][value=elections]").check()
    meeting.locator("[name=next_steps]").fill("مسودة أولى لفكرة المبادرة")
    with mentor.page.expect_navigation() as navigation:
        meeting.locator("[type=submit]").click()
    assert navigation.value.ok
    logged = Meeting.objects.get(mentorship=mentorship)
    assert logged.duration_minutes == 45 and logged.topics == ["elections"]
    assert "مسودة أولى لفكرة المبادرة" in mentor.page.locator("main").inner_text()
    fit = mentor.page.locator(f"form[action$='/{mentorship.pk}/fit/']")
    fit.locator("[name=fit][value=good]").check()
    with mentor.page.expect_navigation() as navigation:
        fit.locator("[type=submit]").click()
    assert navigation.value.ok
    mentorship.refresh_from_db()
    assert mentorship.mentor_fit == Mentorship.Fit.GOOD and not mentorship.needs_rematch
    for browser in (office, mentor):
        browser.assert_no_errors()
