"""Verify page and JSON (public, limited, nothing personal), downloads, the manager's page."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from certificates import services
from certificates.models import Certificate
from tests.cohorts.factories import cohort_with
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def test_verify_page_and_json(client, cert, trainee):
    page = client.get(reverse("certificates:verify", args=[cert.code]))
    assert page.status_code == 200
    assert cert.name_ar in page.content.decode() and cert.sha256 in page.content.decode()
    assert trainee.email not in page.content.decode()
    data = client.get(reverse("certificates:verify_json", args=[cert.code])).json()
    assert data["status"] == "valid" and data["sha256"] == cert.sha256
    assert set(data) == {
        "code", "name_ar", "name_latin", "programme_ar", "programme_en", "cohort_ar",
        "cohort_en", "issued_on", "version", "status", "sha256",
    }  # fmt: skip
    # The short printed form works too, typed in lower case.
    short = cert.display_code.lower()
    assert client.get(reverse("certificates:verify", args=[short])).status_code == 200


def test_revocation_shows_on_the_next_request(client, cert, manager):
    services.revoke_certificate(certificate=cert, actor=manager, reason="Fraud")
    data = client.get(reverse("certificates:verify_json", args=[cert.code])).json()
    assert data["status"] == "revoked" and data["revocation_reason"] == "Fraud"


@pytest.mark.parametrize("code", ["A" * 26, "abc", "²" * 26, "x" * 5000, "A" * 13])
def test_unknown_or_malformed_codes_404(client, cert, code):
    assert client.get(f"/verify/{code}/").status_code == 404
    assert client.get(f"/verify/{code}/json/").status_code == 404


def test_nul_in_code_is_a_4xx(client, cert):
    assert client.get("/verify/" + "A" * 25 + "\x00/").status_code in (400, 404)


def test_verify_is_rate_limited(client, cert):
    url = reverse("certificates:verify_json", args=["0" * 26])
    # The limit counts by minute of the clock: held in the middle of one, the lookups cannot
    # fall on both sides of its end.
    with time_machine.travel(datetime.datetime(2030, 1, 2, 10, 0, 20, tzinfo=datetime.UTC)):
        codes = [client.get(url).status_code for _ in range(31)]
    assert codes[:30] == [404] * 30 and codes[30] == 429


def test_verify_limit_counts_afresh_in_the_next_minute_for_each_address(client, cert):
    url = reverse("certificates:verify_json", args=["0" * 26])
    end_of_minute = datetime.datetime(2030, 1, 2, 10, 0, 50, tzinfo=datetime.UTC)
    with time_machine.travel(end_of_minute, tick=False):
        assert [client.get(url).status_code for _ in range(31)][30] == 429
        # Another address has its own count.
        assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 404
    # Fifteen seconds later a new minute has begun: the address may look up again.
    with time_machine.travel(end_of_minute + datetime.timedelta(seconds=15), tick=False):
        assert client.get(url).status_code == 404


def test_download_for_holder_and_managers_only(client, login, cert, trainee, outsider, manager):
    url = reverse("certificates:download", args=[cert.pk])
    login(trainee)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    login(outsider)
    assert client.get(url).status_code == 404


def test_manager_page_issue_bulk_progress_revoke(
    client, login, cohort, trainee, manager, django_capture_on_commit_callbacks
):
    login(manager)
    page = client.get(reverse("certificates:manage", args=[cohort.pk]))
    assert page.status_code == 200 and trainee.full_name in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:bulk", args=[cohort.pk]))
    progress = client.get(reverse("certificates:progress", args=[cohort.pk])).json()
    assert progress["status"] == "finished" and progress["done"] == 1
    cert = Certificate.objects.get(trainee=trainee)
    client.post(reverse("certificates:revoke", args=[cohort.pk, cert.pk]), {"reason": "x\x00"})
    assert Certificate.objects.get(pk=cert.pk).status == "valid"
    client.post(reverse("certificates:revoke", args=[cohort.pk, cert.pk]), {"reason": "خطأ"})
    assert Certificate.objects.get(pk=cert.pk).status == "revoked"


def test_manager_pages_refuse_others(client, login, cohort, trainee, mentor):
    for person in (trainee, mentor):
        login(person)
        assert client.get(reverse("certificates:manage", args=[cohort.pk])).status_code == 404
        assert client.get(reverse("certificates:progress", args=[cohort.pk])).status_code == 404
        response = client.post(reverse("certificates:issue", args=[cohort.pk, trainee.pk]))
        assert response.status_code == 404
    assert not Certificate.objects.exists()


def test_open_badge_credential_signed_and_checked(client, login, cert, trainee, outsider):
    from certificates import badges

    login(trainee)
    response = client.get(reverse("certificates:badge", args=[cert.pk]))
    assert response.status_code == 200
    token = response.content.decode()
    payload = badges.check(token)
    vc = payload["vc"]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    achievement = vc["credentialSubject"]["achievement"]
    assert cert.programme_ar in achievement["name"] and cert.programme_en in achievement["name"]
    assert trainee.email not in token
    check = reverse("certificates:check_credential", args=[cert.code])
    assert client.post(check, {"credential": token}).status_code == 200
    head, body, sig = token.split(".")
    tampered = f"{head}.{body[:-2]}AA.{sig}"
    assert badges.check(tampered) is None
    assert client.post(check, {"credential": tampered}).status_code == 400
    assert client.post(check, {"credential": "x.y"}).status_code == 400
    jwk = client.get(reverse("certificates:issuer")).json()["publicKey"]
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519"
    login(outsider)
    assert client.get(reverse("certificates:badge", args=[cert.pk])).status_code == 404


def test_api_scoped_like_the_pages(api_login, cohort, trainee, manager, mentor):
    api = api_login(manager)
    listing = api.get("/api/v1/certificates/eligibility/", {"cohort": cohort.pk})
    assert listing.status_code == 200 and listing.json()["results"][0]["eligible"] is True
    assert listing.json()["count"] == 1
    assert api.get("/api/v1/certificates/eligibility/", {"cohort": "²"}).status_code == 400
    made = api.post(
        "/api/v1/certificates/issue/", {"cohort": cohort.pk, "trainee": trainee.pk}, format="json"
    )
    assert made.status_code == 201
    pk = made.json()["id"]
    assert api.post(f"/api/v1/certificates/{pk}/revoke/", {"reason": "x"}).status_code == 200
    again = api.post(f"/api/v1/certificates/{pk}/revoke/", {"reason": "x"})
    assert again.status_code == 409
    other = api_login(mentor)
    assert other.get(f"/api/v1/certificates/{pk}/").status_code == 404
    assert other.post(f"/api/v1/certificates/{pk}/revoke/", {"reason": "x"}).status_code == 404
    assert other.get("/api/v1/certificates/eligibility/", {"cohort": cohort.pk}).status_code == 404
    holder = api_login(trainee)
    assert holder.get(f"/api/v1/certificates/{pk}/").status_code == 200


@pytest.mark.parametrize("extra", [0, 6])
def test_manager_page_queries_do_not_grow_with_trainees(
    client, login, cohort, manager, extra, django_assert_num_queries
):
    from cohorts.models import Membership
    from tests.factories import TraineeFactory

    for person in TraineeFactory.create_batch(extra):
        Membership.objects.create(cohort=cohort, user=person, role="trainee")
    login(manager)
    url = reverse("certificates:manage", args=[cohort.pk])
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


def test_open_badge_evidence_links_the_initiative_only_when_showcased(client):
    from certificates import badges
    from proposals.models import Proposal, TeamMember
    from tests.proposals.factories import proposal_at, team_world

    world = team_world()
    proposal = proposal_at(world, Proposal.Status.COMPLETED)
    Proposal.objects.filter(pk=proposal.pk).update(showcase_consent=False)
    lead_cert = services._new_certificate(world["cohort"], world["lead"], actor=world["manager"])
    other_cert = services._new_certificate(
        world["cohort"], world["coauthor"], actor=world["manager"]
    )
    showcase_item = reverse("proposals:showcase_item", args=[proposal.pk])
    # Without the team's consent: no evidence, and the showcase page is not there.
    assert "evidence" not in badges.credential(lead_cert)
    assert client.get(showcase_item).status_code == 404
    Proposal.objects.filter(pk=proposal.pk).update(showcase_consent=True)
    [evidence] = badges.credential(lead_cert)["evidence"]
    assert evidence["id"].endswith(showcase_item) and evidence["type"] == ["Evidence"]
    assert evidence["name"] == proposal.title
    assert badges.check(badges.sign(lead_cert))["vc"]["evidence"] == [evidence]
    page = client.get(showcase_item)
    assert page.status_code == 200 and proposal.title in page.content.decode()
    # Someone of the cohort who is not on the team gets no evidence; invited, still none;
    # once they accepted, the same initiative (read as stored SQL, asked again each time).
    assert "evidence" not in badges.credential(other_cert)
    member = TeamMember.objects.create(
        proposal=proposal, user=world["coauthor"], status=TeamMember.Status.INVITED
    )
    assert "evidence" not in badges.credential(other_cert)
    TeamMember.objects.filter(pk=member.pk).update(status=TeamMember.Status.ACCEPTED)
    assert badges.credential(other_cert)["evidence"] == [evidence]
    assert badges.credential(lead_cert)["evidence"] == [evidence]  # one row, not one per member
    # An initiative that is not completed is not shown, whatever the consent.
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.IN_IMPLEMENTATION)
    assert "evidence" not in badges.credential(lead_cert)
    assert client.get(showcase_item).status_code == 404


def test_api_eligibility_comes_a_page_at_a_time_by_name(api_login, manager):
    people = [TraineeFactory(full_name=f"متدرب {letter}") for letter in "دجبأه"]
    cohort = cohort_with(manager=manager, trainees=people)
    api = api_login(manager)
    first = api.get("/api/v1/certificates/eligibility/", {"cohort": cohort.pk, "page_size": 2})
    assert first.status_code == 200
    body = first.json()
    assert body["count"] == 5 and body["next"] and body["previous"] is None
    names = [row["name"] for row in body["results"]]
    second = api.get(body["next"]).json()
    names += [row["name"] for row in second["results"]]
    third = api.get(second["next"]).json()
    names += [row["name"] for row in third["results"]]
    assert names == sorted(p.full_name for p in people)
    assert third["next"] is None
    bad = api.get("/api/v1/certificates/eligibility/", {"cohort": cohort.pk, "page": "٢"})
    assert bad.status_code == 404


def _tokens(html: str) -> set:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def test_a_page_masks_one_token_for_all_its_forms_and_it_is_accepted(cert, manager, cohort):
    """The verify page's credential form and the shell's (sign out, language) carry one token,
    which the check accepts under enforced CSRF checks; the manager's page likewise."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(reverse("certificates:verify", args=[cert.code]))
    tokens = _tokens(page.content.decode())
    assert len(tokens) == 1 and page.content.decode().count("csrfmiddlewaretoken") == 2
    checked = browser.post(
        reverse("certificates:check_credential", args=[cert.code]),
        {"credential": "not-a-credential", "csrfmiddlewaretoken": tokens.pop()},
    )
    assert checked.status_code == 400  # the check ran: not the CSRF failure (403)
    assert len(_tokens(checked.content.decode())) == 1
    forged = browser.post(
        reverse("certificates:check_credential", args=[cert.code]),
        {"credential": "x", "csrfmiddlewaretoken": "A" * 64},
    )
    assert forged.status_code == 403
    browser.force_login(manager)
    html = browser.get(reverse("certificates:manage", args=[cohort.pk])).content.decode()
    assert html.count("csrfmiddlewaretoken") >= 3 and len(_tokens(html)) == 1
