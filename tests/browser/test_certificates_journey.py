"""Certificates in a real browser: the manager issues for everyone eligible and reads the run's
figures, with the reasons of those not issued folded away until asked for; a trainee who got one
downloads the PDF and opens its public verification page, where a revocation shows at once."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from certificates import services as certificates
from certificates.models import Certificate
from tests.browser.conftest import SCREENSHOT_DIR
from tests.browser.test_dashboard_journey import PHONE, _cohort, sign_in
from tests.factories import ManagerFactory

pytestmark = pytest.mark.browser


def test_bulk_issue_download_and_verify(open_browser):
    manager = ManagerFactory()
    # Four trainees: the first two were present at the only session, the others absent (0 %
    # of the 75 % the cohort asks).
    cohort, people = _cohort(manager, 4)
    url = reverse("certificates:manage", args=[cohort.pk])

    browser = open_browser(viewport=PHONE)
    page = browser.page
    sign_in(browser, manager)
    page.goto(browser.url(url), wait_until="networkidle")
    progress = page.locator("#bulk-progress")
    assert progress.is_hidden()
    with page.expect_navigation():
        page.get_by_role("button", name="إصدار الشهادات لكل المستحقين").click()

    # The run is over (the jobs run inline here): its figures, and the two not issued folded.
    expect(page.locator("#bulk-progress .figures")).to_have_text("4 / 4")
    folded = page.locator("#bulk-progress details.failures-box")
    assert folded.is_visible()
    assert folded.locator("summary").inner_text().startswith("2 ")
    assert not folded.locator("ul.failures").is_visible()
    folded.locator("summary").click()
    reasons = folded.locator("ul.failures li")
    assert reasons.count() == 2
    assert "الحضور 0% من 75% المطلوبة" in reasons.first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / "certificates-bulk-ar-390x844.png", full_page=True)
    browser.assert_no_errors()

    issued = Certificate.objects.filter(cohort=cohort).order_by("trainee_id")
    assert [c.trainee_id for c in issued] == [people[0].pk, people[1].pk]

    # The holder downloads the PDF and opens the verification page from their list.
    holder = open_browser(viewport=PHONE)
    sign_in(holder, people[0])
    holder.page.goto(holder.url(reverse("certificates:mine")), wait_until="networkidle")
    link = holder.page.get_by_role("link", name="تنزيل ملف PDF")
    pdf = holder.page.request.get(holder.url(link.get_attribute("href")))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
    with holder.page.expect_navigation():
        holder.page.get_by_role("link", name="صفحة التحقق").click()
    assert "هذه الشهادة سارية." in holder.page.locator("main").inner_text()

    # Revoked by the manager: the same page says so on the next request.
    certificates.revoke_certificate(
        certificate=issued[0], actor=manager, reason="خطأ في بيانات الحضور"
    )
    holder.page.reload()
    text = holder.page.locator("main").inner_text()
    assert "هذه الشهادة سارية." not in text and "خطأ في بيانات الحضور" in text
    holder.assert_no_errors()
