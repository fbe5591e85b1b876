"""Forms of the Traffic console pages: fields in, the services' refusals out, next to their
field in a seller's words (the rules are in services.py and sharing.py)."""

from django import forms

from tenants.console_forms import ServiceForm


class RepositoryAddForm(ServiceForm):
    error_fields = {"invalid_url": "url", "not_github": "url", "not_a_repository": "url",
                    "repository_exists": "url"}  # fmt: skip

    url = forms.CharField(
        label="Repository URL",
        max_length=300,
        help_text="As GitHub shows it: https://github.com/owner/name, github.com/owner/name "
        "or git@github.com:owner/name.git",
        widget=forms.TextInput(
            attrs={"placeholder": "https://github.com/owner/name", "autocomplete": "off"}
        ),
        error_messages={
            "required": "Paste the repository's address from GitHub.",
            "max_length": "This is too long for a GitHub address.",
        },
    )


class GithubTokenForm(ServiceForm):
    error_fields = {"invalid_token": "token"}

    token = forms.CharField(
        label="GitHub token",
        max_length=255,
        strip=True,
        help_text="A personal access token of an account with push access to the repositories "
        "(fine-grained: “Administration: read”). We keep it encrypted and never show it again.",
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
        error_messages={
            "required": "Paste the token from GitHub's settings.",
            "max_length": "This is too long for a GitHub token.",
        },
    )


class ShareLinkForm(ServiceForm):
    name = forms.CharField(
        label="Who the link is for",
        max_length=100,
        help_text="Anyone with the link sees your repositories' charts (read-only) until you "
        "revoke it.",
        error_messages={
            "required": "Give the link a name, like “Investors”.",
            "max_length": "Keep the name to 100 characters or fewer.",
        },
    )
