from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LotClosure(models.Model):
    """A lot closed after award: it takes no new appointments or offerings, and is kept.

    A record of its own, not fields on Lot, because Lot rows are rewritten from page revisions:
    publishing an old revision must not reopen a closed lot. Closing a lot after award changes
    the framework's terms; the Procurement Act issue turns this record into a Variation.
    """

    lot = models.OneToOneField(
        "frameworks.Lot",
        on_delete=models.PROTECT,
        related_name="closure",
        verbose_name=_("lot"),
    )
    closed_at = models.DateTimeField(_("closed"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    reason = models.TextField(
        _("reason"), help_text=_("Why the lot was closed, as recorded in the decision.")
    )

    class Meta:
        verbose_name = _("lot closure")
        verbose_name_plural = _("lot closures")

    def __str__(self) -> str:
        return f"{self.lot} closed"

    @property
    def owner_organisation_id(self) -> int | None:
        return self.lot.framework.authority_id
