from tenant_apps.signups.checks import signup_throttle_rates_check


def test_valid_rates_pass(settings):
    settings.SIGNUP_THROTTLE_PER_IP = "5/sec"
    settings.SIGNUP_THROTTLE_PER_SITE = "1000/hour"
    assert signup_throttle_rates_check(None) == []


def test_a_mistyped_rate_is_reported_at_start(settings):
    settings.SIGNUP_THROTTLE_PER_IP = "20 per minute"
    settings.SIGNUP_THROTTLE_PER_SITE = "0/min"
    errors = signup_throttle_rates_check(None)
    assert [e.id for e in errors] == ["signups.E001", "signups.E001"]
    assert errors[0].msg == "Invalid rate '20 per minute'; use e.g. '20/min'."
    assert errors[1].msg == "Invalid rate '0/min'; the limit must be at least 1."
