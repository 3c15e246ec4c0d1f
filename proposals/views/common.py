"""What the proposal pages share: the one way to reach a proposal, and the refused-action page."""

from .. import shapes
from ..models import Proposal

PAGE_SIZE = 50


def visible_proposal(request, pk) -> Proposal:
    """The proposal `visible_to` the person (else 404), with its cohort and lead."""
    return shapes.visible_proposal(request.user, pk)
