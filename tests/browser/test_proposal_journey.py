"""An initiative in a real browser: the lead submits the draft, the assigned mentor scores it on
the rubric from their queue, and the manager publishes the decision on the decision page."""

import datetime

import pytest
from django.utils import timezone

from proposals import services
from proposals.models import Proposal, Review
from tests.factories import PASSWORD
from tests.proposals.factories import proposal_at, team_world

pytestmark = pytest.mark.browser


def sign_in(browser, user):
    page = browser.page
    page.goto(browser.url("/accounts/login/"))
    form = page.locator("main form")
    form.locator("[name=login]").fill(user.email)
    form.locator("[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("[type=submit]").click()


def click_and_wait(page, selector):
    with page.expect_navigation() as navigation:
        page.locator(selector).first.click()
    return navigation.value


def test_submit_review_decide(open_browser):
    world = team_world()
    proposal = proposal_at(world)

    lead = open_browser()
    sign_in(lead, world["lead"])
    lead.page.goto(lead.url(f"/proposals/{proposal.pk}/"))
    assert lead.html_attributes() == ("rtl", "ar")
    assert click_and_wait(lead.page, f"form[action$='/{proposal.pk}/do/submit/'] button").ok
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SUBMITTED

    services.assign_reviewers(
        actor=world["manager"],
        proposals=[proposal],
        reviewers=[world["reviewer"]],
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    assignment = proposal.assignments.get()

    reviewer = open_browser()
    sign_in(reviewer, world["reviewer"])
    reviewer.page.goto(reviewer.url("/proposals/reviews/"))
    click_and_wait(reviewer.page, f"a[href^='/proposals/reviews/{assignment.pk}/']")
    for criterion in services.rubric_for(proposal.cohort).criteria.all():
        reviewer.page.locator(f"input[name=score_{criterion.pk}][value='4']").check()
    reviewer.page.locator("textarea[name=comments]").fill("مقترح واضح")
    assert click_and_wait(reviewer.page, "main form [type=submit]").ok
    assert reviewer.path() == "/proposals/reviews/"  # back to the queue it came from
    assert Review.objects.get().submitted_at is not None

    manager = open_browser()
    sign_in(manager, world["manager"])
    manager.page.goto(manager.url(f"/proposals/{proposal.pk}/decide/"))
    decision = manager.page.locator("form:has([name=decision])")
    decision.locator("[name=decision]").select_option("approve")
    decision.locator("[name=message]").fill("تمت الموافقة، بالتوفيق")
    with manager.page.expect_navigation() as navigation:
        decision.locator("[type=submit]").click()
    assert navigation.value.ok
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED
    for browser in (lead, reviewer, manager):
        browser.assert_no_errors()
