"""Certificate pages: the public verify page (HTML and JSON), the holder's list and downloads,
the manager's cohort page with issue, bulk issue (progress polled as JSON), revoke and a retry of
the PDFs that could not be made."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.models import Membership, access_key
from cohorts.shapes import managed_cohort
from core.compiled import Shape
from core.errors import Conflict
from core.pages import problem
from core.paging import Paginator, counted
from core.throttling import hit_in_window

from . import badges, services
from .bulk import start_bulk_issue
from .eligibility import ByName
from .models import BulkIssueRun, Certificate, is_short_code, normalize_code
from .tables import CARD_FIELDS, manage_rows_html, mine_cards_html, verify_html

logger = logging.getLogger(__name__)

MANAGE_PAGE_SIZE = 100  # trainees per page of a cohort's certificates


def _by_code(code, *, short):
    """The certificate of a canonical code (`Certificate.objects.by_code`), with the one that
    replaced it. Ordered by pk: the default ordering (cohort, trainee) would join both tables for
    one row."""
    return (
        Certificate.objects.with_code(code, short=short)
        .select_related("superseded_by")
        .order_by("pk")[:1]
    )


def _mine(trainee_id):
    """The holder's own certificates, newest first: the columns their cards show (each holds
    its cohort's printed name, so the cohort is not read)."""
    return Certificate.objects.filter(trainee=trainee_id).only(*CARD_FIELDS).order_by("-id")


def _visible(user_id, pk, *, signed_in, staff, holder=False):
    """The certificate of this id if the person may see it (`visible_to`'s rule), with its
    holder's row when `holder`."""
    found = Certificate.objects.visible_to_person(user_id, signed_in=signed_in, staff=staff)
    found = found.filter(pk=pk).order_by()
    return (found.select_related("trainee") if holder else found)[:1]


# Built and compiled once per connection (core.compiled): run as stored SQL with the request's
# code or id.
_BY_CODE = Shape(_by_code)
_MINE = Shape(_mine)
_VISIBLE = Shape(_visible)


def visible_certificate(user, pk: int, *, holder: bool = False) -> Certificate:
    """`get_object_or_404(Certificate.objects.visible_to(user), pk=pk)` as stored SQL."""
    certificate = _VISIBLE.first(user.pk, pk, holder=holder, **access_key(user))
    if certificate is None:
        raise Http404
    return certificate


def _limited(request) -> bool:
    """Cache-based limit against guessing codes: settings.CERTIFICATES_VERIFY_LIMIT lookups per
    address in each minute of the clock (counted as the API's rates are, core.throttling)."""
    key = f"certificates:verify:{request.META.get('REMOTE_ADDR', '')}"
    try:
        count, _left = hit_in_window(key, 60, time.time())
    except Exception:
        # A cache that cannot be reached costs the limit for a while, not the page: the codes
        # are long enough that an outage's worth of guesses finds none.
        logger.exception("Could not count certificate lookups in the cache")
        return False
    return count > settings.CERTIFICATES_VERIFY_LIMIT


def public_facts(certificate: Certificate) -> dict:
    """What the verify page tells anyone: nothing personal beyond the printed name."""
    facts = {
        "code": certificate.display_code,
        "name_ar": certificate.name_ar,
        "name_latin": certificate.name_latin,
        "programme_ar": certificate.programme_ar,
        "programme_en": certificate.programme_en,
        "cohort_ar": certificate.cohort_name_ar,
        "cohort_en": certificate.cohort_name_en,
        "issued_on": certificate.issued_on.isoformat(),
        "version": certificate.version,
        "status": certificate.status,
        "sha256": certificate.sha256,
    }
    if certificate.status == Certificate.Status.REVOKED:
        facts["revoked_on"] = certificate.revoked_at.date().isoformat()
        facts["revocation_reason"] = certificate.revocation_reason
    return facts


def _verify(request, code):
    if _limited(request):
        return None, HttpResponse(_("Too many lookups. Try again in a minute."), status=429)
    canonical = normalize_code(code)
    certificate = None
    if canonical is not None:
        certificate = _BY_CODE.first(canonical, short=is_short_code(canonical))
    if certificate is None:
        raise Http404(_("No certificate has this code."))
    return certificate, None


def verify(request, code):
    certificate, refused = _verify(request, code)
    if refused:
        return refused
    # One masked token for all the page's forms: the shell's take it from the context
    # ("csrf_token"), instead of masking the secret again.
    token = get_token(request)
    body = verify_html(certificate, token)
    return render(request, "certificates/verify.html", {"body": body, "csrf_token": token})


def verify_json(request, code):
    certificate, refused = _verify(request, code)
    if refused:
        return JsonResponse({"detail": refused.content.decode()}, status=429)
    return JsonResponse(public_facts(certificate))


@login_required
def mine(request):
    cards = mine_cards_html(_MINE.list(request.user.pk))
    return render(request, "certificates/mine.html", {"cards": cards})


@login_required
def download(request, pk):
    certificate = visible_certificate(request.user, pk)
    if not certificate.file:
        raise Http404(_("The certificate is still being prepared. Try again in a minute."))
    return FileResponse(
        certificate.file.open("rb"),
        as_attachment=True,
        filename=f"certificate-{certificate.display_code}.pdf",
        content_type="application/pdf",
    )


def _managed_cohort(request, cohort_id):
    """`Cohort.objects.managed_by(user)`'s cohort of this id, read as stored SQL, or 404."""
    cohort = managed_cohort(request.user, cohort_id)
    if cohort is None:
        raise Http404
    return cohort


def _latest_run(cohort_id):
    return BulkIssueRun.objects.filter(cohort=cohort_id)[:1]


def _failed_renders(cohort_id):
    return counted(services.failed_renders(cohort_id))


# Compiled once per connection: core.compiled.
_LATEST_RUN = Shape(_latest_run)
_FAILED_RENDERS = Shape(_failed_renders)


@login_required
def manage(request, cohort_id):
    cohort = _managed_cohort(request, cohort_id)
    # A page of trainees at a time, read as a page: a cohort of 1,000 with a form per row would
    # weigh hundreds of kilobytes on a phone. The figures above the table are the whole cohort's.
    number = request.GET.get("page")
    verdicts = ByName(cohort, MANAGE_PAGE_SIZE, page=number or 1)  # no number: the first
    page = Paginator(verdicts, MANAGE_PAGE_SIZE).get_page(number)
    # The page's current certificates, read with it.
    rows = _manage_rows(cohort, page, verdicts.held)
    token = get_token(request)  # the rows' forms and the shell's: one masked token
    return render(
        request,
        "certificates/manage.html",
        {
            "cohort": cohort,
            "rows": rows,
            "table_rows": manage_rows_html(rows, token),
            "csrf_token": token,
            "page": page,
            "run": _LATEST_RUN.first(cohort.pk),
            "issued": verdicts.issued,
            "eligible": verdicts.ready,
            "missing": verdicts.missing,
            "render_failed": _FAILED_RENDERS.first(cohort.pk) or 0,
        },
    )


def _manage_rows(cohort, verdicts, current) -> list[dict]:
    """The table's rows as plain values: what each shows and which form it offers (revoke a
    valid certificate, issue to an eligible trainee who holds none), the URLs built from one
    reversed prefix each and the labels translated once. `current`: {user id: their current
    certificate} (certificates.eligibility.Held)."""
    issue_url = reverse("certificates:issue", args=[cohort.pk, 0]).removesuffix("0/")
    revoke_url = reverse("certificates:revoke", args=[cohort.pk, 0]).removesuffix("0/")
    eligible, not_eligible = _("Eligible"), _("Not eligible")
    statuses = {value: str(label) for value, label in Certificate.Status.choices}
    separator = _("; ")  # as Eligibility.explanation joins the reasons
    rows = []
    for verdict in verdicts:
        cert = current.get(verdict.user_id)
        missing = separator.join(verdict.reasons)
        row = {"name": verdict.name, "missing": missing, "code": "", "action": ""}
        if cert is not None:
            row["status"], row["code"] = statuses[cert.status], cert.display_code
            if cert.status == Certificate.Status.VALID:
                row["action"], row["url"] = "revoke", f"{revoke_url}{cert.pk}/"
        else:
            row["status"] = eligible if verdict.eligible else not_eligible
            if verdict.eligible:
                row["action"], row["url"] = "issue", f"{issue_url}{verdict.user_id}/"
        rows.append(row)
    return rows


def _act(request, cohort, action):
    try:
        action()
    except Conflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("certificates:manage", cohort.pk)


@login_required
@require_POST
def issue(request, cohort_id, user_id):
    cohort = _managed_cohort(request, cohort_id)
    member = get_object_or_404(
        Membership.objects.active().trainees().select_related("user"),
        cohort=cohort,
        user_id=user_id,
    )
    return _act(
        request,
        cohort,
        lambda: services.issue_certificate(cohort=cohort, trainee=member.user, actor=request.user),
    )


@login_required
@require_POST
def revoke(request, cohort_id, pk):
    cohort = _managed_cohort(request, cohort_id)
    certificate = get_object_or_404(Certificate, cohort=cohort, pk=pk)
    return _act(
        request,
        cohort,
        lambda: services.revoke_certificate(
            certificate=certificate, actor=request.user, reason=request.POST.get("reason", "")
        ),
    )


@login_required
@require_POST
def bulk(request, cohort_id):
    cohort = _managed_cohort(request, cohort_id)
    start_bulk_issue(cohort=cohort, actor=request.user)
    return redirect("certificates:manage", cohort.pk)


@login_required
@require_POST
def retry_renders(request, cohort_id):
    """Make again the PDFs the sweep gave up on (certificates.services.render_certificate)."""
    cohort = _managed_cohort(request, cohort_id)
    if services.retry_failed_renders(cohort=cohort, actor=request.user):
        messages.success(request, _("The PDFs are being made again. Check back in a few minutes."))
    return redirect("certificates:manage", cohort.pk)


@login_required
def progress(request, cohort_id):
    cohort = _managed_cohort(request, cohort_id)
    run = _LATEST_RUN.first(cohort.pk)
    if run is None:
        return JsonResponse({"status": "none"})
    return JsonResponse(
        {
            "status": run.status,
            "total": run.total,
            "done": run.done,
            "failed": run.failed,
            "percent": run.percent,
            "failures": run.failures[:200],
        }
    )


@login_required
def badge(request, pk):
    """The holder's Open Badges 3.0 credential, signed (VC-JWT), of a valid certificate only."""
    certificate = visible_certificate(request.user, pk, holder=True)
    if certificate.status != Certificate.Status.VALID:
        # A credential signed now would vouch for a revoked or replaced certificate to anyone
        # who checks the signature alone.
        return problem(
            request,
            _("This certificate is no longer valid, so it has no digital credential."),
            back=reverse("certificates:mine"),
            status=410,
        )
    response = HttpResponse(badges.sign(certificate), content_type="application/vc+jwt")
    response["Content-Disposition"] = (
        f'attachment; filename="credential-{certificate.display_code}.jwt"'
    )
    return response


def issuer(request):
    """The issuer profile with the public key that checks our credentials."""
    return JsonResponse(
        {
            "id": badges.issuer_id(),
            "type": ["Profile"],
            "name": badges.CENTER_EN,
            "publicKey": badges.public_jwk(),
        }
    )


@require_POST
def check_credential(request, code):
    """A credential pasted on the verify page: signed by us, and for this certificate?"""
    certificate, refused = _verify(request, code)
    if refused:
        return refused
    payload = badges.check(request.POST.get("credential", ""))
    expected = badges.credential(certificate)["id"]
    valid = payload is not None and payload.get("jti") == expected
    token = get_token(request)
    body = verify_html(certificate, token, checked=True, valid=valid)
    return render(
        request,
        "certificates/verify.html",
        {"body": body, "csrf_token": token},
        status=200 if valid else 400,
    )
