"""Sessions and attendance: the calendar of a cohort, new sessions and weekly series, a
session's page with its check-in code, the roll call, sign-in sheet import and excuses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_errors
from core.pages import form_page, problem, safe_next, submitted
from core.paging import Paginator

from .. import services, shapes
from ..forms import CancelSessionForm, ImportForm, SeriesForm, SessionForm, session_fields
from ..models import Attendance, Cohort, ExcuseRequest, Session
from ..qr import qr_svg
from ..roster import roster_html
from ..services import Conflict
from .common import (
    PAGE_SIZE,
    ROLL_CALL_PAGE_SIZE,
    attendance_session,
    managed_cohort,
)

# --- Managers: sessions ---------------------------------------------------------------------------


@login_required
@require_GET
def sessions(request, pk):
    cohort = managed_cohort(request, pk)
    A = Attendance.Status
    listed = (
        Session.objects.filter(cohort=cohort)
        .select_related("facilitator")
        .only(
            "id",
            "title",
            "title_en",
            "format",
            "mode",
            "starts_at",
            "ends_at",
            "cohort_id",
            "facilitator__id",
            "facilitator__full_name",
        )  # fmt: skip
        .annotate(
            attended=Count("attendance", filter=Q(attendance__status__in=[A.PRESENT, A.LATE])),
            marked=Count("attendance"),
            # Excuses aside: a session with none of these had no roll call.
            taken=Count("attendance", filter=~Q(attendance__status=A.EXCUSED)),
        )
        .order_by("starts_at", "id")
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cohorts/sessions.html",
        {"cohort": cohort, "page": page, "now": timezone.now()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request, pk):
    cohort = managed_cohort(request, pk)
    form = SessionForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(
                actor=request.user,
                cohort=cohort,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                **session_fields(form),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The session was scheduled."))
            return redirect("cohorts:session", pk=session.pk)
    return form_page(
        request, form, template="cohorts/form.html", title=_("New session"), cohort=cohort
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_series(request, pk):
    """Weekly sessions on chosen days between two dates (Fridays skipped unless unticked)."""
    cohort = managed_cohort(request, pk)
    form = SeriesForm(
        request.POST or None,
        cohort=cohort,
        initial={"first_day": cohort.starts_on, "last_day": cohort.ends_on, "skip_fridays": True},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.generate_series(
                actor=request.user,
                cohort=cohort,
                first_day=data["first_day"],
                last_day=data["last_day"],
                weekdays=data["weekdays"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                skip_fridays=data["skip_fridays"],
                **session_fields(form),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s session was scheduled.",
                    "%(count)s sessions were scheduled.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect("cohorts:sessions", pk=cohort.pk)
    return form_page(
        request, form, template="cohorts/form.html", title=_("Weekly sessions"), cohort=cohort
    )


def check_in_address(request, session) -> str:
    """What the QR code in the room opens: the check-in page with the code filled in."""
    path = reverse("cohorts:check_in", args=[session.pk])
    return request.build_absolute_uri(f"{path}?code={session.check_in_code}")


@login_required
@require_GET
def session_detail(request, pk):
    """For whoever takes attendance: the check-in code and its QR code to show in the room, the
    marks so far and the excuse requests."""
    session = attendance_session(request, pk)
    counts = dict(
        Attendance.objects.filter(session=session)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    excuses = list(
        ExcuseRequest.objects.filter(session=session)
        .select_related("user")
        .order_by("status", "created_at", "id")
    )
    opens, closes = services.check_in_window(session)
    address = check_in_address(request, session)
    return render(
        request,
        "cohorts/session_detail.html",
        {
            "session": session,
            "cohort": session.cohort,
            "manages": services.can_manage_cohort(request.user, session.cohort),
            "started": session.starts_at <= timezone.now(),
            "counts": [(label, counts.get(value, 0)) for value, label in Attendance.Status.choices],
            "trainee_count": session.cohort.active_trainee_count(),
            "excuses": excuses,
            "opens": opens,
            "closes": closes,
            "address": address,
            # The SVG comes from cohorts.qr out of our own address: markup we made, no script.
            "qr": mark_safe(qr_svg(address)),  # noqa: S308
        },
    )


@login_required
@require_POST
def session_rotate_code(request, pk):
    session = attendance_session(request, pk)
    services.rotate_check_in_code(actor=request.user, session=session)
    messages.success(
        request, _("The session has a new check-in code; the old one no longer works.")
    )
    return redirect("cohorts:session", pk=session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request, pk):
    """A manager calls off a session that has not started, after seeing who will be told."""
    session = get_object_or_404(
        Session.objects.filter(cohort__in=Cohort.objects.managed_by(request.user)).select_related(
            "cohort", "facilitator"
        ),
        pk=pk,
    )
    started = session.starts_at <= timezone.now()
    form = CancelSessionForm(submitted(request))
    if request.method == "POST" and not started and form.is_valid():
        try:
            told = services.cancel_session(
                actor=request.user, session=session, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        except Conflict as conflict:
            return problem(
                request, conflict.message, back=reverse("cohorts:session", args=[session.pk])
            )
        else:
            messages.success(
                request,
                ngettext(
                    "The session is cancelled; %(n)d person was told.",
                    "The session is cancelled; %(n)d people were told.",
                    told,
                )
                % {"n": told},
            )
            return redirect("cohorts:sessions", pk=session.cohort_id)
    told = len(services.expected_at(session, actor=request.user))
    status = 409 if request.method == "POST" and started else 200
    return render(
        request,
        "cohorts/session_cancel.html",
        {
            "session": session,
            "cohort": session.cohort,
            "form": form,
            "started": started,
            "told": told,
        },
        status=400 if request.method == "POST" and not started and form.errors else status,
    )


def _roll_call_page(request, session, *, status=200, error="", posted=None):
    """The page of the cohort's active trainees being marked, read page by page in SQL (a
    1,000-trainee cohort loads a hundred people, not a thousand), with the totals so far."""
    q = (request.GET.get("q") or "").strip()
    if q:
        found = shapes.roster_rows(session.pk, session.cohort_id).filter(
            Q(full_name__icontains=q) | Q(full_name_latin__icontains=q) | Q(email__icontains=q)
        )
        listed = Paginator(found, ROLL_CALL_PAGE_SIZE)
    else:  # the usual page: compiled once (cohorts.shapes)
        listed = Paginator(shapes.Roster(session.pk, session.cohort_id), ROLL_CALL_PAGE_SIZE)
    page = listed.get_page(request.GET.get("page"))
    excuse_labels = dict(ExcuseRequest.Status.choices)
    posted = posted or {}
    rows = [
        {
            "id": user_id,
            "name": name or email,
            "current": posted.get(user_id) or mark or "",
            "excuse": excuse_labels.get(excuse, ""),
        }
        for user_id, name, email, mark, excuse in page
    ]
    marked = dict(shapes.SESSION_MARKS.list(session.pk, session.cohort_id))
    total = page.paginator.count if not q else session.cohort.active_trainee_count()
    return render(
        request,
        "cohorts/roll_call.html",
        {
            "session": session,
            "cohort": session.cohort,
            "page": page,
            "rows": rows,
            "roster": roster_html(rows, dict(Attendance.Status.choices)),
            "q": q,
            "marked": [(label, marked.get(value, 0)) for value, label in Attendance.Status.choices],
            "unmarked": total - sum(marked.values()),
            "error": error,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def roll_call(request, pk):
    """One row per trainee with four choices (present, late, excused, absent) and one button;
    "everyone else present" marks the rows of the page left unmarked."""
    session = attendance_session(request, pk)
    if request.method == "GET":
        return _roll_call_page(request, session)
    shown, marks = [], {}
    for value in request.POST.getlist("shown"):
        # isascii(): "²" passes isdigit() but not int(); the length bounds a bigint.
        if not (value.isascii() and value.isdigit() and len(value) <= 18):
            return _roll_call_page(request, session, status=400, error=_("Unknown trainee."))
        shown.append(int(value))
    for user_id in shown:
        status = request.POST.get(f"m{user_id}", "")
        if status:
            marks[user_id] = status
    if request.POST.get("rest") == Attendance.Status.PRESENT:
        already = set(
            Attendance.objects.filter(session=session, user_id__in=shown).values_list(
                "user_id", flat=True
            )
        )
        for user_id in shown:
            if user_id not in marks and user_id not in already:
                marks[user_id] = Attendance.Status.PRESENT
    if not marks:
        return _roll_call_page(
            request, session, status=400, error=_("Choose a mark for at least one trainee.")
        )
    try:
        services.mark_roll_call(actor=request.user, session=session, marks=marks)
    except ValidationError as exc:
        return _roll_call_page(
            request, session, status=400, error=" ".join(exc.messages), posted=marks
        )
    except Conflict as exc:
        return _roll_call_page(request, session, status=409, error=exc.message, posted=marks)
    messages.success(
        request,
        ngettext(
            "Attendance saved for %(count)s trainee.",
            "Attendance saved for %(count)s trainees.",
            len(marks),
        )
        % {"count": len(marks)},
    )
    return redirect(request.get_full_path())


@login_required
@require_http_methods(["GET", "POST"])
def session_import(request, pk):
    """A typed-up paper sign-in sheet: first a dry run that lists every row's problem, then, when
    every row is valid, a confirmation that writes the marks."""
    session = attendance_session(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"session": session, "cohort": session.cohort, "form": form, "report": None}
    if request.method == "GET":
        return render(request, "cohorts/import.html", context)
    if not form.is_valid():
        return render(request, "cohorts/import.html", context, status=400)
    upload = form.cleaned_data.get("file")
    if upload is not None and upload.size > services.MAX_IMPORT_BYTES:
        form.add_error("file", _("The file is too large."))
        return render(request, "cohorts/import.html", context, status=400)
    sheet = form.sheet()
    confirm = request.POST.get("confirm") == "1"
    try:
        report = services.import_attendance_csv(
            actor=request.user, session=session, data=sheet, dry_run=not confirm
        )
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return render(request, "cohorts/import.html", context, status=400)
    except Conflict as exc:
        context["error"] = exc.message
        return render(request, "cohorts/import.html", context, status=409)
    if confirm:
        messages.success(
            request,
            ngettext(
                "The sheet was imported: %(count)s mark written.",
                "The sheet was imported: %(count)s marks written.",
                report.written,
            )
            % {"count": report.written},
        )
        return redirect("cohorts:session", pk=session.pk)
    if report.valid and isinstance(sheet, bytes):
        sheet = sheet.decode("utf-8-sig")
    labels = dict(Attendance.Status.choices)
    context.update(
        {
            "report": report,
            "rows": [
                (row, labels.get(row.status, ""), labels.get(row.previous_status, ""))
                for row in report.rows
            ],
            "sheet": sheet if report.valid else "",
        }
    )
    return render(request, "cohorts/import.html", context, status=200 if report.valid else 400)


# --- Excuse requests ------------------------------------------------------------------------------


@login_required
@require_GET
def excuses(request, pk):
    """Excuse requests of the cohort's sessions, those waiting first."""
    cohort = managed_cohort(request, pk)
    listed = (
        ExcuseRequest.objects.visible_to(request.user)
        .filter(session__cohort=cohort)
        .select_related("user", "session", "decided_by")
        .order_by("-status", "session__starts_at", "created_at", "id")
    )
    if request.GET.get("status") in ExcuseRequest.Status.values:
        listed = listed.filter(status=request.GET["status"])
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cohorts/excuses.html",
        {"cohort": cohort, "page": page, "statuses": ExcuseRequest.Status.choices},
    )


@login_required
@require_POST
def excuse_decide(request, pk):
    excuse = get_object_or_404(
        ExcuseRequest.objects.visible_to(request.user).select_related("session__cohort", "user"),
        pk=pk,
    )
    back = safe_next(request, reverse("cohorts:session", args=[excuse.session_id]))
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        return problem(request, _("Approve or decline the request."), back=back, status=400)
    try:
        services.decide_excuse(actor=request.user, excuse=excuse, approve=decision == "approve")
    except Conflict as exc:
        return problem(request, exc.message, back=back)
    messages.success(
        request,
        (
            _("%(name)s is excused.")
            if decision == "approve"
            else _("The request of %(name)s was declined.")
        )
        % {"name": excuse.user.full_name},
    )
    return redirect(back)
