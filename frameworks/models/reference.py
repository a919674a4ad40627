from django.db import models
from django.utils.translation import gettext_lazy as _


class CpvCode(models.Model):
    """A Common Procurement Vocabulary division or group (reference data, loaded by migration)."""

    class Level(models.TextChoices):
        DIVISION = "division", _("Division")
        GROUP = "group", _("Group")

    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        help_text=_("Eight digits and a check digit, like 72000000-5."),
    )
    title = models.CharField(_("title"), max_length=255)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    division = models.CharField(
        _("division"),
        max_length=2,
        db_index=True,
        editable=False,
        help_text=_("The first two digits: groups belong to the division they start with."),
    )

    class Meta:
        verbose_name = _("CPV code")
        verbose_name_plural = _("CPV codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.division = self.code[:2]
        super().save(*args, **kwargs)
