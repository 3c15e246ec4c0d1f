"""The paper sign-in sheet import: a dry run reports every bad row and writes nothing; a real
run writes only a fully valid sheet."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cohorts import services
from cohorts.models import Attendance
from core.models import AuditEvent
from tests.cohorts.factories import (
    AttendanceFactory,
    MembershipFactory,
    SessionFactory,
    cohort_with,
)
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(manager, trainee):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    return cohort, SessionFactory(cohort=cohort)


def test_dry_run_reports_row_errors_and_writes_nothing(setting, manager, trainee, outsider):
    _cohort, session = setting
    sheet = (
        "\ufeffEmail,Status,Note\n"
        f"{trainee.email.upper()},present,\n"
        "ghost@example.org,present,\n"
        f"{outsider.email},absent,\n"
        f"{trainee.email},sometimes,\n"
        ",,\n"
    ).encode()
    report = services.import_attendance_csv(actor=manager, session=session, data=sheet)
    assert report.dry_run and not report.valid
    assert [
        (e.line, "ghost" in e.message or outsider.full_name in e.message) for e in report.errors
    ][:2] == [
        (3, True),
        (4, True),
    ]
    assert {e.line for e in report.errors} == {3, 4, 5}
    assert [r.email for r in report.rows] == [trainee.email]
    with pytest.raises(ValidationError) as exc:
        services.import_attendance_csv(actor=manager, session=session, data=sheet, dry_run=False)
    assert len(exc.value.message_dict["rows"]) == len(report.errors)
    assert not Attendance.objects.exists()
    assert not AuditEvent.objects.filter(action="cohorts.import_attendance").exists()


def test_valid_sheet_is_written_with_arabic_statuses(setting, manager, trainee):
    cohort, session = setting
    second = MembershipFactory(cohort=cohort).user
    AttendanceFactory(session=session, user=second, status="absent")
    sheet = f"email,status\n{trainee.email},حاضر\n{second.email},متأخر\n"
    preview = services.import_attendance_csv(actor=manager, session=session, data=sheet)
    assert [r.previous_status for r in preview.rows] == ["", "absent"]
    report = services.import_attendance_csv(
        actor=manager, session=session, data=sheet, dry_run=False
    )
    assert report.written == 2
    marks = dict(Attendance.objects.values_list("user_id", "status"))
    assert marks == {trainee.pk: "present", second.pk: "late"}
    assert set(Attendance.objects.values_list("source", flat=True)) == {"import"}


def test_missing_columns_and_bad_encoding(setting, manager):
    _cohort, session = setting
    report = services.import_attendance_csv(actor=manager, session=session, data="name,mark\nx,y\n")
    assert report.errors[0].line == 1
    report = services.import_attendance_csv(actor=manager, session=session, data=b"\xff\xfe\x00bad")
    assert not report.valid


def test_only_attendance_takers_import(setting, trainee):
    _cohort, session = setting
    with pytest.raises(PermissionDenied):
        services.import_attendance_csv(
            actor=TraineeFactory(), session=session, data="email,status\n"
        )
    with pytest.raises(PermissionDenied):
        services.import_attendance_csv(actor=trainee, session=session, data="email,status\n")
