from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from saas.api.throttles import THROTTLE_CLASSES, rate_parse, rate_setting_name


@register(Tags.security, deploy=True)
def otp_fixed_code_check(app_configs, **kwargs):
    """An error, not a warning: `check --deploy` must fail, since the code signs anyone in."""
    if settings.OTP_FIXED_CODE:
        return [
            Error(
                "OTP_FIXED_CODE is set: anyone who knows it can sign in as any mobile number.",
                hint="Unset OTP_FIXED_CODE outside demos and black-box tests.",
                id="accounts.E001",
            )
        ]
    return []


@register()
def throttle_rates_check(app_configs, **kwargs):
    """Every THROTTLE_RATE_<NAME> reads as a rate: a bad one would fail each request it limits."""
    errors = []
    for throttle_class in THROTTLE_CLASSES:
        name = rate_setting_name(throttle_class.scope)
        try:
            rate_parse(getattr(settings, name))
        except (AttributeError, ImproperlyConfigured) as error:
            errors.append(
                Error(f"{name}: {error}", hint="Use a rate like '10/hour'.", id="throttles.E001")
            )
    return errors


@register(Tags.security, deploy=True)
def sms_backend_check(app_configs, **kwargs):
    """Errors, not warnings: with the console or in-memory backend no code ever reaches a phone
    (and the console one writes every code to the log); Twilio needs its settings."""
    from .sms import CONSOLE_BACKEND, LOCMEM_BACKEND, TWILIO_BACKEND

    if settings.SMS_BACKEND in (CONSOLE_BACKEND, LOCMEM_BACKEND):
        return [
            Error(
                f"SMS_BACKEND is {settings.SMS_BACKEND}: no text reaches a phone.",
                hint="Use shared_apps.accounts.sms_twilio.TwilioSmsBackend (production's default) "
                "with the TWILIO_* settings.",
                id="accounts.E002",
            )
        ]
    if settings.SMS_BACKEND == TWILIO_BACKEND:
        missing = [
            name
            for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN")
            if not getattr(settings, name)
        ]
        if not (settings.TWILIO_FROM or settings.TWILIO_MESSAGING_SERVICE_SID):
            missing.append("TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID")
        if missing:
            return [
                Error(
                    f"The Twilio SMS backend is missing {', '.join(missing)}.",
                    hint='Set them from the Twilio console (docs/operations.md, "SMS").',
                    id="accounts.E003",
                )
            ]
    return []
