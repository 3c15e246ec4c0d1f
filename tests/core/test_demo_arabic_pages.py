"""The demo, crawled in Arabic as a visitor, a trainee, a mentor and a manager see it: every page
reachable by following links from home writes Arabic one way, with the Arabic comma «،» (never a
Latin comma next to Arabic words) and Iraqi month names (never «يناير»…«ديسمبر»). Text, labels,
placeholders and titles are read; scripts and styles are not."""

import io
import re
from collections import deque
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from accounts.models import User
from tests.core.test_dates import EGYPTIAN_MONTHS

pytestmark = pytest.mark.django_db

ARABIC = "\u0600-\u06ff"
LATIN_COMMA_IN_ARABIC = re.compile(rf"[{ARABIC}][\s\u200f]*,|,[\s\u200f]*[{ARABIC}]")
# Where a crawl must not go: files, feeds, the API, the admin and actions taken by a GET.
SKIP = re.compile(
    r"^/(static|media|admin|api)/|logout|/export|\.(ics|csv|xlsx|pdf|png|svg)\b|/download"
    r"|/calendar/|unsubscribe|language|/badge|/file"
)
# A month's name as a word of its own («مارس», not the «مارس» inside «الممارسة»).
MONTH = re.compile(rf"(?<![{ARABIC}])({'|'.join(EGYPTIAN_MONTHS)})(?![{ARABIC}])")
READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "value")


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.links, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attrs = dict(attrs)
        if tag == "a" and (attrs.get("href") or "").startswith("/"):
            self.links.append(attrs["href"].split("#")[0])
        for name in READ_ATTRIBUTES:
            if attrs.get(name) and not (tag == "input" and attrs.get("type") == "hidden"):
                self.text.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def crawl(client, limit):
    seen, queue, pages = set(), deque(["/"]), {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        if url in seen or SKIP.search(url):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = Page()
        page.feed(response.content.decode())
        pages[url] = " ".join(page.text)
        queue.extend(link for link in page.links if link not in seen)
    return pages


def faults(pages):
    found = []
    for url, text in pages.items():
        for match in LATIN_COMMA_IN_ARABIC.finditer(text):
            found.append((url, "Latin comma", text[max(0, match.start() - 30) : match.end() + 30]))
        found += [(url, "month", match.group(1)) for match in MONTH.finditer(text)]
    return found


PERSONAS = [None, "trainee1@ishtar.example", "mentor1@ishtar.example", "manager@ishtar.example"]


def test_every_demo_page_writes_arabic_one_way(client):
    call_command("seed_demo", stdout=io.StringIO())
    found, crawled = [], {}
    for persona in PERSONAS:
        client.logout()
        if persona:
            client.force_login(User.objects.get(email=persona))
        pages = crawl(client, limit=150)
        crawled[persona] = len(pages)
        found += [(persona, *fault) for fault in faults(pages)]

    assert crawled[None] >= 5 and min(crawled.values()) >= 5
    assert all(crawled[persona] >= 30 for persona in PERSONAS[1:]), crawled
    assert found == []


def test_the_check_finds_a_latin_comma_and_an_egyptian_month():
    pages = {"/x/": "الأحد 6 كانون الأول, 17:00 — 3 يناير"}
    assert [kind for _url, kind, _at in faults(pages)] == ["Latin comma", "month"]
    assert faults({"/y/": "PDF، DOCX — Najaf, Iraq — 6 كانون الأول — الممارسة"}) == []
