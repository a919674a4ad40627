import re

from django.db import models
from django.utils.translation import gettext_lazy as _

# Eight digits, then optionally a hyphen and the check digit: "72000000-5" or "72000000".
CODE_PATTERN = re.compile(r"^(\d{8})(?:-(\d))?$")


def significant_prefix(digits: str) -> str:
    """The digits that place a code in the tree: its first eight digits without the trailing
    zeros, but never fewer than the division's two ("9061" for 90610000, "30" for 30000000)."""
    digits = digits[:8]
    return digits[:2] + digits[2:].rstrip("0")


def level_of(prefix: str) -> str:
    """The level a significant prefix names: two digits a division, three a group, four a
    class, five a category, more a sub-category."""
    return {
        2: CpvCode.Level.DIVISION,
        3: CpvCode.Level.GROUP,
        4: CpvCode.Level.CLASS,
        5: CpvCode.Level.CATEGORY,
    }.get(len(prefix), CpvCode.Level.SUBCATEGORY)


class CpvCode(models.Model):
    """A code of the Common Procurement Vocabulary 2008 (reference data, loaded by migration
    from frameworks/data/cpv-2008.csv), in its tree: each code but a division sits under its
    nearest existing ancestor, and `path` makes "every code beneath this one" a range query."""

    class Level(models.TextChoices):
        DIVISION = "division", _("Division")
        GROUP = "group", _("Group")
        CLASS = "class", _("Class")
        CATEGORY = "category", _("Category")
        SUBCATEGORY = "subcategory", _("Sub-category")

    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        help_text=_("Eight digits and a check digit, like 72000000-5."),
    )
    title = models.CharField(_("title"), max_length=255)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    division = models.CharField(
        _("division"),
        max_length=2,
        db_index=True,
        editable=False,
        help_text=_("The first two digits: every code belongs to the division it starts with."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        editable=False,
        verbose_name=_("parent"),
        help_text=_(
            "The nearest existing code above this one; none for a division, the top of the tree."
        ),
    )
    path = models.CharField(
        _("significant digits"),
        max_length=8,
        db_index=True,
        editable=False,
        help_text=_(
            'The code without its trailing zeros, like "9061" for 90610000-6: every code '
            "beneath this one starts with these digits."
        ),
    )

    class Meta:
        verbose_name = _("CPV code")
        verbose_name_plural = _("CPV codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.division = self.code[:2]
        self.path = significant_prefix(self.code)
        self.level = level_of(self.path)
        super().save(*args, **kwargs)

    @property
    def digits(self) -> str:
        """The eight digits without the check digit."""
        return self.code[:8]
