"""The demo that `make run` serves shows the product's own error pages (DEBUG off by default),
still loads its demo accounts, and serves course covers; production-like settings refuse the
demo accounts."""

import importlib

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings


def test_the_demo_settings_have_debug_off_and_say_they_are_the_demo(monkeypatch):
    monkeypatch.delenv("DEBUG", raising=False)
    dev = importlib.reload(importlib.import_module("config.settings.dev"))
    assert dev.DEBUG is False
    assert dev.DEMO is True


@pytest.mark.django_db
def test_seed_demo_refuses_where_it_is_neither_debug_nor_the_demo():
    with override_settings(DEBUG=False, DEMO=False, TESTING=False), pytest.raises(CommandError):
        call_command("seed_demo")


@pytest.mark.django_db
def test_a_missing_page_is_the_products_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "URLconf" not in response.content.decode()
