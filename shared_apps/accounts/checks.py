from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def otp_fixed_code_check(app_configs, **kwargs):
    if settings.OTP_FIXED_CODE:
        return [
            Warning(
                "OTP_FIXED_CODE is set: anyone who knows it can sign in as any mobile number.",
                hint="Unset OTP_FIXED_CODE outside demos and black-box tests.",
                id="accounts.W001",
            )
        ]
    return []
