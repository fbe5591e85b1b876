from django.conf import settings
from django.core.checks import Error, register

from .throttles import rate_parse


@register()
def signup_throttle_rates_check(app_configs, **kwargs):
    """A mistyped rate is caught when the app starts, not on a visitor's signup."""
    errors = []
    for name, default in (("SIGNUP_THROTTLE_PER_IP", "20/min"),
                          ("SIGNUP_THROTTLE_PER_SITE", "600/min")):  # fmt: skip
        value = getattr(settings, name, default)
        try:
            rate_parse(value)
        except ValueError as error:
            errors.append(Error(str(error), hint=f"Set {name} like '20/min'.", id="signups.E001"))
    return errors
