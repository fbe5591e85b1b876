"""Forms of the console's signup pages: fields in, the service's errors out in a seller's words.

The rules live in services.py (the same ones the API applies); a form only splits the origins
box into lines and places a SignupsError next to the field it concerns.
"""

from django import forms

from .errors import SignupsError, SignupsErrorCode
from .services import MAX_ALLOWED_ORIGINS

ORIGINS_HELP = (
    "One website address per line, like https://shop.example.com (with http:// or https://, "
    "an optional :port, no page path)."
)


class WidgetSiteForm(forms.Form):
    name = forms.CharField(
        label="Website name",
        max_length=120,
        error_messages={
            "required": "Give the website a name, like “My shop”.",
            "max_length": "Keep the name under 120 characters.",
        },
    )
    allowed_origins = forms.CharField(
        label="Allowed addresses",
        required=False,
        help_text=ORIGINS_HELP,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocapitalize": "off"}),
    )

    def origins(self) -> list[str]:
        lines = self.cleaned_data.get("allowed_origins", "").splitlines()
        return [line.strip() for line in lines if line.strip()]

    def show_error(self, error: SignupsError) -> None:
        """Place the service's refusal next to its field, in words a seller reads."""
        if error.code == SignupsErrorCode.INVALID_NAME.code:
            self.add_error("name", "Give the website a name, like “My shop”.")
        elif error.code == SignupsErrorCode.TOO_MANY_ORIGINS.code:
            self.add_error(
                "allowed_origins",
                f"A website can allow at most {MAX_ALLOWED_ORIGINS} addresses; remove some.",
            )
        else:
            origin = (error.details or {}).get("origin", "")
            self.add_error(
                "allowed_origins",
                f"“{origin}” is not a website address. Write it like https://shop.example.com "
                "(http:// or https://, an optional :port, no page path).",
            )


def origins_text(origins: list[str]) -> str:
    return "\n".join(origins)
