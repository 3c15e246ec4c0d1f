"""A person's sessions as an iCalendar file (RFC 5545): a pure function from already-loaded
sessions to bytes. No database, no request; the feed view loads the sessions and serves this."""

import datetime
from collections.abc import Iterable

from icalendar import Calendar, Event

PRODUCT_ID = "-//Ishtar Center for Supporting Democracy//Youth Leadership LMS//AR"


def build_calendar(
    sessions: Iterable,
    *,
    name: str,
    domain: str,
    language: str = "ar",
    now: datetime.datetime | None = None,
    base_url: str = "",
    link=None,
) -> bytes:
    """`sessions` need `pk`, `title`/`title_en`, `starts_at`, `ends_at`, `mode`, `place`,
    `online_url`, `description` and `cohort` (with `name`/`name_en`) loaded. Event UIDs are
    stable (session id at the domain), so a calendar app updates an event instead of copying it.
    `link(session)` gives the absolute address of the session's page on the site: the event's URL
    (an online session's meeting link comes first) and the last line of its description."""
    stamp = now or datetime.datetime.now(datetime.UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Baghdad")
    english = language.startswith("en")
    for session in sessions:
        title = (session.title_en if english and session.title_en else session.title) or ""
        cohort = session.cohort
        cohort_name = cohort.name_en if english and cohort.name_en else cohort.name
        event = Event()
        event.add("uid", f"session-{session.pk}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at.astimezone(datetime.UTC))
        event.add("dtend", session.ends_at.astimezone(datetime.UTC))
        event.add("summary", f"{title} — {cohort_name}")
        place = session.place
        if place:
            event.add("location", place)
        page = link(session) if link else base_url
        if session.mode == "online" and session.online_url:
            event.add("url", session.online_url)
        elif page:
            event.add("url", page)
        description = [
            session.description or "",
            session.online_url if session.mode == "online" else "",
            page,
        ]
        if any(description):
            event.add("description", "\n\n".join(part for part in description if part))
        calendar.add_component(event)
    return calendar.to_ical()
