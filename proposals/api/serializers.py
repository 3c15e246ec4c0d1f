"""Serializers of the proposals API: read shapes and the input shapes of the actions."""

from rest_framework import serializers

from core.api import ModelSerializer

from ..models import Proposal, Review, Score, Transition

ACTIONS = [
    "submit",
    "resubmit",
    "withdraw",
    "start_review",
    "request_changes",
    "start_implementation",
    "complete",
]


class BudgetLineSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=200)
    quantity = serializers.IntegerField(min_value=1, max_value=100_000)
    unit_cost_iqd = serializers.IntegerField(min_value=0, max_value=1_000_000_000)
    total = serializers.IntegerField(read_only=True)


class ProposalListSerializer(ModelSerializer):
    budget_total_iqd = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "cohort",
            "lead",
            "title",
            "status",
            "version",
            "budget_total_iqd",
            "updated_at",
        ]


def list_items(rows) -> list[dict]:
    """ProposalListSerializer's representation of the list's rows (plain values of its fields,
    the relations as ids: proposals.listings.API_COLUMNS), without a serializer's fields run
    for every row; tests/proposals/test_listings.py compares the two."""
    updated_at = serializers.DateTimeField()
    return [
        {
            "id": row["id"],
            "cohort": row["cohort"],
            "lead": row["lead"],
            "title": row["title"],
            "status": row["status"],
            "version": row["version"],
            "budget_total_iqd": row["budget_total_iqd"],
            "updated_at": updated_at.to_representation(row["updated_at"]),
        }
        for row in rows
    ]


class ProposalSerializer(ModelSerializer):
    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    budget_total_iqd = serializers.IntegerField(source="budget_total", read_only=True)
    overall_progress = serializers.IntegerField(read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id", "cohort", "lead", "title", "problem", "target_group", "governorate",
            "objectives", "activities", "starts_on", "ends_on", "partners", "expected_impact",
            "indicators", "risks", "status", "version", "showcase_consent",
            "showcase_first_names_only", "decision_message", "decided_at", "submitted_at",
            "budget_lines", "budget_total_iqd", "overall_progress", "created_at", "updated_at",
        ]  # fmt: skip


class TransitionSerializer(ModelSerializer):
    class Meta:
        model = Transition
        fields = ["id", "actor", "from_status", "to_status", "comment", "created_at"]


class TransitionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class DecisionInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    message = serializers.CharField(max_length=5000)


class ScoreSerializer(ModelSerializer):
    class Meta:
        model = Score
        fields = ["criterion", "score", "comment"]


class ReviewSerializer(ModelSerializer):
    """A review; `reviewer` is null when the cohort hides reviewers' names from the team."""

    reviewer = serializers.SerializerMethodField()
    scores = ScoreSerializer(many=True, read_only=True)
    weighted_score = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Review
        fields = ["id", "reviewer", "comments", "submitted_at", "scores", "weighted_score"]

    def get_reviewer(self, review) -> int | None:
        if self.context.get("hide_names"):
            return None
        return review.assignment.reviewer_id


class ReviewInputSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(), help_text="{criterion id: score from 1 to 5}"
    )
    comments = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
