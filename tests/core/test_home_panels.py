"""The signed-in home page is composed by the apps that own its panels (core.home)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core import home

pytestmark = pytest.mark.django_db


@pytest.fixture
def extra_panel():
    calls = []

    def collect(request):
        calls.append(request.user.pk)
        return {"greeting": "panel-for-managers"}

    home.register_panel(
        "test-extra",
        order=5,
        template="core/test_panel.html",
        collect=collect,
        audience=lambda user: user.can_manage(),
    )
    yield calls
    home.unregister_panel("test-extra")


def test_apps_register_their_panels_in_order():
    keys = [panel.key for panel in home.registered()]
    assert keys.index("courses") < keys.index("cohorts")


def test_home_shows_the_registered_panels_to_a_trainee(login, trainee):
    page = login(trainee).get(reverse("core:home")).content.decode()
    assert 'class="panels courses-panel"' in page
    assert 'class="panels cohorts-panel"' in page
    assert page.index("courses-panel") < page.index("cohorts-panel")


def test_anonymous_home_collects_no_panel(client, extra_panel):
    page = client.get(reverse("core:home")).content.decode()
    assert "courses-panel" not in page
    assert extra_panel == []


def test_a_panel_shows_only_to_its_audience(login, trainee, extra_panel):
    trainee_page = login(trainee).get(reverse("core:home")).content.decode()
    assert "panel-for-managers" not in trainee_page
    assert extra_panel == []  # not collected for people outside its audience


def test_a_panel_renders_its_template_with_its_context(rf, manager, extra_panel):
    from django.template import Context, engines

    engine = engines["django"].engine
    rendered = engine.from_string(
        "{% load home_panels %}{% for panel in panels %}{% home_panel panel %}{% endfor %}"
    )
    request = rf.get("/")
    request.user = manager
    panels = [p for p in home.panels_for(request) if p.key == "test-extra"]
    assert panels and panels[0].context == {"greeting": "panel-for-managers"}
    assert extra_panel == [manager.pk]
    original = engine.get_template

    def fake_get_template(name):
        if name == "core/test_panel.html":
            return engine.from_string("<p>{{ greeting }} {{ user.pk }}</p>")
        return original(name)

    engine.get_template = fake_get_template
    try:
        html = rendered.render(Context({"panels": panels, "user": manager}))
    finally:
        del engine.get_template
    assert html == f"<p>panel-for-managers {manager.pk}</p>"


def test_core_imports_no_app_of_ours_for_the_home_page():
    ours = {"accounts", "courses", "cohorts", "mentoring", "proposals", "certificates"}
    for path in (Path(settings.BASE_DIR) / "core").rglob("home*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] not in ours, (path, node.module)
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] not in ours, (path, alias.name)
    template = (Path(settings.BASE_DIR) / "templates" / "core" / "home.html").read_text()
    assert "courses_tags" not in template and "cohorts_tags" not in template
