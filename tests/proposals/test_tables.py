"""A cohort's proposal rows built in Python (proposals.tables) are the markup the template engine
renders from the same proposals: titles and names escaped, every status's label, budget totals
(none, zero, large) as the template wrote them, in both languages."""

import pytest
from django.template import engines
from django.utils import translation

from accounts.models import User
from core.compiled import attach_related
from proposals.models import BudgetLine, Criterion, Proposal, Review, Score
from proposals.tables import budget_rows_html, manage_rows_html, reviews_html

# The rows as the managers' list template wrote them before they were built in Python (the same
# markup, without the whitespace between the rows), reading a proposal's attributes.
TEMPLATE = (
    "{% load i18n %}"
    '{% translate "title" as l_title %}{% translate "lead" as l_lead %}'
    '{% translate "status" as l_status %}{% translate "budget total (IQD)" as l_budget %}'
    "{% for p in page %}"
    '<tr><td data-label="{{ l_title }}"><a href="{% url \'proposals:decide\' p.pk %}" dir="auto">{{ p.title }}</a></td><td data-label="{{ l_lead }}">{{ p.lead.full_name }}</td><td data-label="{{ l_status }}">{{ p.get_status_display }}</td><td data-label="{{ l_budget }}">{{ p.budget_total_iqd|default:0 }}</td></tr>'
    "{% endfor %}"
)

HOSTILE = [
    ("زينب علي", 'مبادرة <b>القراءة</b> & "الحوار"', 700_000),
    ('Adam <script>alert("x")</script>', "Reading ' club", None),
    ("حسين", "{{ title }} {% url 'x' %}", 0),
    ("x&amp;y", "&lt;already&gt;", 12_345_678_900_000),
]


def _proposals() -> list[Proposal]:
    """Unsaved proposals with the attributes the template read: one per status, the hostile
    titles, names and totals in turn."""
    proposals = []
    for index, status in enumerate(Proposal.Status.values):
        name, title, total = HOSTILE[index % len(HOSTILE)]
        proposal = Proposal(pk=index * 997 + 1, title=title, status=status)
        proposal.lead = User(full_name=name)
        proposal.budget_total_iqd = total
        proposals.append(proposal)
    return proposals


def _rows(proposals) -> list[dict]:
    return [
        {
            "id": p.pk,
            "title": p.title,
            "status": p.status,
            "lead__full_name": p.lead.full_name,
            "budget_total_iqd": p.budget_total_iqd,
        }
        for p in proposals
    ]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_python_rows_equal_the_template_rows(language):
    proposals = _proposals()
    with translation.override(language):
        expected = engines["django"].from_string(TEMPLATE).render({"page": proposals})
        built = manage_rows_html(_rows(proposals))
    assert str(built) == expected
    assert "<script>" not in built and "{{ title }}" in built
    assert manage_rows_html([]) == ""


# The detail page's budget rows and review cards as its template wrote them before they were
# built in Python (proposals.tables.budget_rows_html, reviews_html).
BUDGET_TEMPLATE = (
    "{% for b in lines %}"
    '<tr><td dir="auto">{{ b.item }}</td><td>{{ b.quantity }}</td><td>{{ b.unit_cost_iqd }}</td><td>{{ b.total }}</td></tr>'
    "{% endfor %}"
)
REVIEWS_TEMPLATE = """{% load i18n %}{% for review, reviewer in reviews %}
  <section class="card"><h3>{% if reviewer %}{{ reviewer.full_name }}{% else %}{% blocktranslate with n=forloop.counter %}Reviewer {{ n }}{% endblocktranslate %}{% endif %}</h3>
  <ul>{% for s in review.scores.all %}<li>{{ s.criterion.display_name }}: {{ s.score }}/5</li>{% endfor %}</ul>
  <p dir="auto">{{ review.comments|linebreaksbr }}</p></section>
{% endfor %}"""


def _reviews() -> list:
    """Unsaved reviews with their scores and criteria, hostile names and comments, one shown
    with its reviewer's name and the others without."""
    reviews = []
    for index, (name, text, _total) in enumerate(HOSTILE):
        review = Review(pk=index + 1, comments=f"{text}\nسطر ثانٍ\r\n<i>{name}</i>")
        scores = []
        for position, (ar, en) in enumerate([(text, name), ("الأثر", "Impact & <reach>")]):
            criterion = Criterion(pk=position + 1, name=ar, name_en=en, position=position)
            scores.append(Score(pk=index * 10 + position, criterion=criterion, score=position + 3))
        attach_related(review, "scores", scores, back="review")
        reviews.append((review, User(full_name=name) if index % 2 else None))
    return reviews


@pytest.mark.parametrize("language", ["ar", "en"])
def test_detail_budget_rows_and_reviews_equal_the_template(language):
    lines = [
        BudgetLine(item=item, quantity=index + 1, unit_cost_iqd=total or 0)
        for index, (item, _title, total) in enumerate(HOSTILE)
    ]
    reviews = _reviews()
    engine = engines["django"]
    with translation.override(language):
        assert budget_rows_html(lines) == engine.from_string(BUDGET_TEMPLATE).render(
            {"lines": lines}
        )
        built = reviews_html(reviews)
        assert built == engine.from_string(REVIEWS_TEMPLATE).render({"reviews": reviews})
    assert "<script>" not in built and "&lt;i&gt;" in built and "<br>" in built
    assert budget_rows_html([]) == "" and reviews_html([]) == ""
