from django import forms
from django.utils.translation import gettext_lazy as _


class CookiesForm(forms.Form):
    analytics = forms.TypedChoiceField(
        label=_("Do you want to accept analytics cookies?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if you want to accept analytics cookies")},
    )
