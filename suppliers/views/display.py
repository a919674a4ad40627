"""How offerings and supplier sizes are shown, shared by the portal and the public pages."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from marketplace import state
from suppliers.forms import ATTRIBUTE_FIELD_PREFIX
from suppliers.models import Offering

SIZE_LABELS = {
    "micro": _("Micro enterprise"),
    "small": _("Small enterprise"),
    "medium": _("Medium-sized enterprise"),
    "large": _("Large enterprise (not an SME)"),
}


STATUS_COLOURS = {
    Offering.Status.DRAFT: "light-blue",
    Offering.Status.SUBMITTED: "blue",
    Offering.Status.WITHDRAWN: "grey",
}


@dataclass(frozen=True)
class StatusTag:
    label: str
    colour: str


def status_tag(offering: Offering) -> StatusTag:
    """The offering's state as its supplier needs to know it, including changes under review."""
    if offering.status == Offering.Status.LIVE:
        if offering.awaiting_review:
            return StatusTag(_("Live – changes awaiting review"), "turquoise")
        if offering.has_unpublished_changes and offering.rejection_reason:
            return StatusTag(_("Live – changes rejected"), "orange")
        if offering.has_unpublished_changes:
            return StatusTag(_("Live – changes not submitted"), "yellow")
        return StatusTag(_("Live"), "green")
    if offering.status == Offering.Status.DRAFT and offering.rejection_reason:
        return StatusTag(_("Rejected"), "red")
    return StatusTag(offering.get_status_display(), STATUS_COLOURS[offering.status])


def can_change(offering: Offering) -> bool:
    """Whether the edit page is open; the service has the last word."""
    return (
        offering.status in {Offering.Status.DRAFT, Offering.Status.LIVE}
        and not offering.awaiting_review
    )


def can_submit(offering: Offering) -> bool:
    if offering.status == Offering.Status.DRAFT:
        return True
    return can_change(offering) and offering.has_unpublished_changes


def can_withdraw(offering: Offering) -> bool:
    return state.can_move(Offering, offering.status, Offering.Status.WITHDRAWN)


def with_status_tags(offerings):
    """The offerings as a list, each carrying `.tag` for the templates."""
    offerings = list(offerings)
    for offering in offerings:
        offering.tag = status_tag(offering)
    return offerings


def answer_rows(offering: Offering) -> list[dict]:
    """offering.answers(), each with the id of its form field for "Change" links."""
    return [
        {"label": label, "value": value, "field_id": f"id_{ATTRIBUTE_FIELD_PREFIX}{spec.key}"}
        for spec, (label, value) in zip(offering.lot.attributes(), offering.answers(), strict=True)
    ]
