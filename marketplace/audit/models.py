"""The audit log: one append-only, hash-chained row per thing that happened.

Each row's hash is SHA-256 over the previous row's hash followed by this row's canonical
content (see chain.canonical_content), so editing, removing or inserting a row breaks the
chain from that row on. Rows are written only by services.record(), unsealed (no sequence or
hashes), and sealed into the chain later, in batches, by services.seal_chain().
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import AuditKind


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or remove a recorded audit event."""


def _refusal(model, what: str) -> AuditLogIsAppendOnly:
    return AuditLogIsAppendOnly(f"{str(model._meta.verbose_name_plural).capitalize()} {what}.")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise _refusal(self.model, "cannot be changed once recorded")

    def delete(self):
        raise _refusal(self.model, "cannot be deleted")

    update.queryset_only = True
    delete.queryset_only = True


class AppendOnlyModel(models.Model):
    """Rows are inserted once and never changed or removed (the database refuses too, on
    PostgreSQL: migrations audit.0004 and audit.0005). Audit events are sealed into the chain
    by services.seal_chain(), which writes with SQL of its own."""

    objects = AppendOnlyQuerySet.as_manager()
    # Not in Wagtail's reference index ("usage" of pages, snippets and so on): an audit row is
    # a record of the past, not a use, and indexing each one cost a task and several queries
    # per audit write (docs/audit.md, "How fast appends are").
    wagtail_reference_index_ignore = True

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise _refusal(type(self), "cannot be changed once recorded")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _refusal(type(self), "cannot be deleted")


class AuditEvent(AppendOnlyModel):
    sequence = models.PositiveBigIntegerField(
        _("sequence"),
        unique=True,
        null=True,
        editable=False,
        help_text=_(
            "Position in the audit chain: 1 for the first event, then one more each time. "
            "Empty until the event is sealed into the chain, shortly after it is recorded."
        ),
    )
    kind = models.CharField(
        _("kind"),
        max_length=100,
        db_index=True,
        help_text=_("What happened, as one of the audit kinds, like membership.invited."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        help_text=_("Who did it; empty for anonymous events such as a lockout."),
    )
    actor_email = models.EmailField(
        _("actor's e-mail address"),
        max_length=254,
        blank=True,
        help_text=_("The actor's e-mail address when the event was recorded."),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("The organisation the actor was acting for, if any."),
    )
    target_content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target type"),
        help_text=_("The kind of object the event is about."),
    )
    target_object_id = models.CharField(
        _("target id"),
        max_length=64,
        blank=True,
        help_text=_("The primary key of the object the event is about, as text."),
    )
    target_repr = models.CharField(
        _("target"),
        max_length=255,
        blank=True,
        help_text=_("How the object read when the event was recorded."),
    )
    data = models.JSONField(
        _("data"),
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text=_("Details of the event (before and after values, identifiers)."),
    )
    created_at = models.DateTimeField(
        _("recorded at"),
        default=timezone.now,
        editable=False,
        db_index=True,
        help_text=_("When the event was recorded."),
    )
    # NULL, not "", until sealed: hash is unique, and many events may wait to be sealed.
    previous_hash = models.CharField(  # noqa: DJ001
        _("previous hash"),
        max_length=64,
        null=True,
        editable=False,
        help_text=_(
            "The hash of the event before this one (64 zeros for the first). Empty until sealed."
        ),
    )
    hash = models.CharField(  # noqa: DJ001
        _("hash"),
        max_length=64,
        unique=True,
        null=True,
        editable=False,
        help_text=_(
            "SHA-256 of the previous hash and this event's canonical content. Empty until sealed."
        ),
    )

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        # Sealed events in chain order, then unsealed ones in the order they were recorded.
        ordering = [models.F("sequence").asc(nulls_last=True), "pk"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"]),
            # The sealer's queue: unsealed events, oldest first.
            models.Index(
                fields=["id"],
                condition=models.Q(sequence__isnull=True),
                name="audit_event_unsealed",
            ),
        ]
        default_permissions = ()

    def __str__(self) -> str:
        if self.sequence is None:
            return f"{self.kind_label} (id {self.pk}, not sealed yet)"
        return f"#{self.sequence} {self.kind_label}"

    @property
    def is_sealed(self) -> bool:
        return self.sequence is not None

    # Shown by the Wagtail admin in place of the raw values (empty until sealed).
    def get_sequence_display(self) -> str:
        return str(self.sequence) if self.is_sealed else str(_("Not sealed yet"))

    def get_previous_hash_display(self) -> str:
        return self.previous_hash or str(_("Not sealed yet"))

    def get_hash_display(self) -> str:
        return self.hash or str(_("Not sealed yet"))

    @property
    def kind_label(self) -> str:
        try:
            return str(AuditKind(self.kind).label)
        except ValueError:
            return self.kind

    def get_kind_display(self) -> str:
        return self.kind_label


class AuditCheckpoint(AppendOnlyModel):
    """The chain's head (sequence and hash) at a moment, kept so a removed tail shows.

    Each checkpoint is also written as a write-once file to the "audit_checkpoints" storage,
    outside this database (see services.take_checkpoint), and published in the open-data feed.
    """

    sequence = models.PositiveBigIntegerField(
        _("sequence"),
        unique=True,
        editable=False,
        help_text=_("The sequence number of the newest audit event when the checkpoint was taken."),
    )
    hash = models.CharField(
        _("hash"),
        max_length=64,
        editable=False,
        help_text=_("The hash of that event."),
    )
    event_count = models.PositiveBigIntegerField(
        _("event count"),
        editable=False,
        help_text=_("How many audit events there were, up to and including that event."),
    )
    taken_at = models.DateTimeField(
        _("taken at"),
        default=timezone.now,
        editable=False,
        help_text=_("When the checkpoint was taken."),
    )

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["-sequence"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"checkpoint #{self.sequence}"
