from django.conf import settings
from django.core.checks import Error, register

from .throttles import WidgetSignupThrottle, rate_parse


@register()
def signup_throttle_rates_check(app_configs, **kwargs):
    """A mistyped rate is caught when the app starts, not on a visitor's signup."""
    errors = []
    for throttle in WidgetSignupThrottle.throttle_classes:
        value = getattr(settings, throttle.rate_setting, throttle.default_rate)
        try:
            rate_parse(value)
        except ValueError as error:
            hint = f"Set {throttle.rate_setting} like '20/min'."
            errors.append(Error(str(error), hint=hint, id="signups.E001"))
    return errors
