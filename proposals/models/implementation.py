"""The milestones and progress updates of an approved initiative."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .proposal import MAX_ATTACHMENT_BYTES, Proposal


class Milestone(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("proposal")
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due date"))
    # Written only by post_progress (and add_milestone, at 0): the one writer of this figure.
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"), default=0)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["proposal", "due_on", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="proposals_milestone_percent"
            ),
        ]

    def __str__(self):
        return self.title


class ProgressUpdate(models.Model):
    """A post on the initiative's progress: by the team (text, photos, % per milestone) or a
    comment by its mentor or manager."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="updates", verbose_name=_("proposal")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("text"), max_length=5000)
    # {"<milestone id>": percent} as reported in this update.
    milestone_percents = models.JSONField(_("milestone progress"), default=dict, blank=True)
    is_comment = models.BooleanField(_("comment"), default=False)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["proposal", "-created_at", "-id"]

    def __str__(self):
        return self.text[:50]


class ProgressPhoto(models.Model):
    update = models.ForeignKey(
        ProgressUpdate, on_delete=models.CASCADE, related_name="photos", verbose_name=_("update")
    )
    file = models.FileField(_("photo"), upload_to="proposals/photos/", max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=MAX_ATTACHMENT_BYTES), name="proposals_photo_size"
            ),
        ]

    def __str__(self):
        return self.file.name
