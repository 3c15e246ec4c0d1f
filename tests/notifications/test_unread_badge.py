"""The unread badge on every signed-in page reads its count from the cache, and every path that
changes a person's unread notifications makes the very next page count again."""

import datetime
import re
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications import unread
from notifications.models import Notification
from notifications.services import mark_read, notify

pytestmark = pytest.mark.django_db

CACHE_CALLS = ["get", "get_many", "add", "set", "incr"]
BADGE = re.compile(r'<span class="badge"[^>]*>(\d+)</span>')


def badge(client, url=None) -> int:
    """The number the badge shows on a page (0 when the page shows none)."""
    response = client.get(url or reverse("accounts:profile"))
    assert response.status_code == 200
    found = BADGE.findall(response.content.decode())
    assert len(found) <= 1
    return int(found[0]) if found else 0


def role_changed(person, **fields):
    return notify(
        recipient=person, kind="accounts.role_changed", params={"role": "mentor"}, **fields
    )


def test_the_badge_counts_a_new_notification_on_the_very_next_page(login, trainee):
    client = login(trainee)
    assert badge(client) == 0
    assert badge(client) == 0  # now from the cache
    role_changed(trainee)
    assert badge(client) == 1
    role_changed(trainee)
    role_changed(trainee)
    assert badge(client) == 3
    # Saved any other way (the admin, a shell, another app's create) it counts all the same.
    Notification.objects.create(recipient=trainee, kind="accounts.role_changed")
    assert badge(client) == 4


def test_marking_one_read_lowers_the_badge_on_the_very_next_page(login, trainee):
    first, _second = role_changed(trainee), role_changed(trainee)
    client = login(trainee)
    assert badge(client) == 2
    response = client.post(reverse("notifications:mark_one_read", args=[first.pk]))
    assert response.status_code == 302
    assert badge(client) == 1


def test_marking_all_read_removes_the_badge_on_the_very_next_page(login, trainee):
    for _ in range(3):
        role_changed(trainee)
    client = login(trainee)
    assert badge(client, reverse("notifications:inbox")) == 3
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302
    assert badge(client, reverse("notifications:inbox")) == 0
    assert badge(client) == 0


def test_marking_read_through_the_api_lowers_the_badge(login, trainee, api_login):
    first, _second = role_changed(trainee), role_changed(trainee)
    client = login(trainee)
    assert badge(client) == 2
    response = api_login(trainee).post(
        "/api/v1/notifications/read/", {"ids": [first.pk]}, format="json"
    )
    assert response.json() == {"marked": 1}
    assert badge(client) == 1


def test_a_notification_marked_unread_again_counts_again(login, trainee):
    notification = role_changed(trainee)
    mark_read(user=trainee)
    client = login(trainee)
    assert badge(client) == 0
    notification.read_at = None
    notification.save()
    assert badge(client) == 1


def test_each_person_has_a_count_of_their_own(login, trainee, outsider):
    role_changed(outsider)
    client = login(trainee)
    assert badge(client) == 0
    role_changed(outsider)
    assert badge(client) == 0
    assert unread.count(outsider) == 2
    role_changed(trainee)
    assert badge(client) == 1
    assert unread.count(outsider) == 2


def test_the_second_page_runs_one_query_fewer(login, trainee):
    role_changed(trainee)
    client = login(trainee)
    url = reverse("accounts:profile")
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    # session, user, unread count; then session and user only
    assert len(first.captured_queries) == 3
    assert len(second.captured_queries) == 2
    assert not any("notifications_notification" in q["sql"] for q in second.captured_queries)


def test_a_page_after_a_change_counts_once_then_reads_the_cache(
    login, trainee, django_assert_num_queries
):
    client = login(trainee)
    client.get(reverse("accounts:profile"))
    role_changed(trainee)
    with django_assert_num_queries(3):
        assert badge(client) == 1
    with django_assert_num_queries(2):
        assert badge(client) == 1


def test_a_count_stored_before_the_commit_is_left_behind_after_it(
    trainee, django_capture_on_commit_callbacks
):
    """Another page may count between the write and its commit (it sees the rows as they were)
    and store that count; the move after the commit leaves it behind."""
    assert unread.count(trainee) == 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        role_changed(trainee)
    # What a page running at that moment, in another transaction, would have stored.
    version = cache.get(unread._version_key(trainee.pk))
    cache.set(unread._count_key(trainee.pk), (version, unread._identity(trainee), 0))
    assert unread.count(trainee) == 0
    for callback in callbacks:  # the commit
        callback()
    assert unread.count(trainee) == 1


def test_a_version_lost_from_the_cache_does_not_bring_an_old_count_back(trainee):
    assert unread.count(trainee) == 0
    version = cache.get(unread._version_key(trainee.pk))
    cache.delete(unread._version_key(trainee.pk))  # evicted
    role_changed(trainee)
    assert cache.get(unread._version_key(trainee.pk)) != version
    assert unread.count(trainee) == 1
    # Read behind the count's back, and the version lost again: counted afresh, not the old 1.
    Notification.objects.filter(recipient=trainee).update(read_at=timezone.now())
    cache.delete(unread._version_key(trainee.pk))
    assert unread.count(trainee) == 0


def test_a_cache_that_cannot_be_reached_costs_the_query_not_the_page(login, trainee):
    role_changed(trainee)
    client = login(trainee)
    down = mock.Mock(**{f"{name}.side_effect": ConnectionError("down") for name in CACHE_CALLS})
    with mock.patch.object(unread, "cache", down):
        assert badge(client) == 1
        role_changed(trainee)  # the notification is saved all the same
        assert badge(client) == 2
    assert Notification.objects.filter(recipient=trainee).count() == 2


def test_visitors_have_no_count(client):
    assert unread.count(AnonymousUser()) == 0
    assert client.get("/").status_code == 200


def test_the_admin_deleting_notifications_lowers_the_badge(login, staff, trainee):
    first, second, _third = role_changed(trainee), role_changed(trainee), role_changed(trainee)
    client = login(trainee)
    assert badge(client) == 3
    admin = Client()
    admin.force_login(staff)
    url = reverse("admin:notifications_notification_delete", args=[first.pk])
    assert admin.post(url, {"post": "yes"}).status_code == 302
    assert badge(client) == 2
    response = admin.post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "delete_selected", "_selected_action": [second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert badge(client) == 1


def test_a_notification_given_to_another_person_changes_both_badges(login, trainee, outsider):
    notification = role_changed(trainee)
    client = login(trainee)
    assert badge(client) == 1
    assert unread.count(outsider) == 0
    notification = Notification.objects.get(pk=notification.pk)  # as the admin loads it
    notification.recipient = outsider
    notification.save()
    assert badge(client) == 0
    assert unread.count(outsider) == 1


def test_an_id_handed_to_another_account_does_not_read_the_first_ones_count(trainee):
    """SQLite gives a rolled-back test's id to the next test's person: the cached count belongs
    to the account that joined when it was counted."""
    role_changed(trainee)
    assert unread.count(trainee) == 1
    # The same id, another account (what the next test's person looks like); nothing moved the
    # version: the first account's rows vanished with its test's rollback.
    Notification.objects.filter(recipient=trainee).delete()
    newcomer = User.objects.get(pk=trainee.pk)
    newcomer.date_joined = trainee.date_joined + datetime.timedelta(seconds=1)
    assert unread.count(newcomer) == 0
