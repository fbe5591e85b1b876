"""Payload rules and placeholder rendering (no database needed)."""

import pytest

from tenant_apps.conversations.payload import PayloadError, payload_parse, payload_render


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("", "payload_empty"),
        ("   \u3000  ", "payload_empty"),
        ("x" * 301, "payload_too_long"),
        ("  " + "x" * 301 + "  ", "payload_too_long"),
        ("line one\nline two", "payload_control_character"),
        ("tab\there", "payload_control_character"),
        ("bell\x07", "payload_control_character"),
        ("nul\x00byte", "payload_control_character"),
        ("delete\x7f", "payload_control_character"),
        ("right-to-left \u202e override", "payload_not_printable"),
        ("zero width\u200bspace", "payload_not_printable"),
        ("private \ue000 use", "payload_not_printable"),
        ("unassigned \U000e0fff", "payload_not_printable"),
        ("line\u2028separator", "payload_not_printable"),
        ("hello <b>there</b>", "payload_html"),
        ("<script>alert(1)</script>", "payload_html"),
        ("see <a href='x'>this</a>", "payload_html"),
        ("<img src=x onerror=alert(1)>", "payload_html"),
        ("a comment <!-- hidden -->", "payload_html"),
        ("closing only </div>", "payload_html"),
        ("Hi {{ name }}", "unknown_placeholder"),
        ("Hi {{ Username }}", "unknown_placeholder"),
        ("Hi {{}}", "unknown_placeholder"),
        ("Hi {{ username }} {{ code }}", "unknown_placeholder"),
        ("Hi {{ username", "placeholder_malformed"),
        ("Hi username }}", "placeholder_malformed"),
    ],
)
def test_invalid_payloads_name_the_rule(payload, code):
    with pytest.raises(PayloadError) as raised:
        payload_parse(payload)
    assert raised.value.code == code
    assert raised.value.status_code == 400


@pytest.mark.parametrize(
    ("payload", "text"),
    [
        ("x", "x"),
        ("x" * 300, "x" * 300),
        ("   padded   ", "padded"),
        ("  " + "y" * 300 + "  ", "y" * 300),
        ("Thanks! 🎉👍🏽 See you at 5:30 (IST); price ₹499 - 20% off?", None),
        ("Family 👨\u200d👩\u200d👧 and flag 🇮🇳 and keycap 1️⃣", None),
        ("नमस्ते, आपका कोड तैयार है", None),
        ("1 < 2 and 3 > 2", None),
        ("Email me at a@b.example, ok?", None),
        ("non\u00a0breaking space", None),
    ],
)
def test_valid_payloads_are_trimmed_only(payload, text):
    assert payload_parse(payload).text == (text if text is not None else payload.strip())


def test_300_counts_characters_not_bytes():
    assert payload_parse("🎉" * 300).text == "🎉" * 300
    with pytest.raises(PayloadError) as raised:
        payload_parse("🎉" * 301)
    assert raised.value.code == "payload_too_long"
    assert raised.value.details == {"max_length": 300, "length": 301}


@pytest.mark.parametrize(
    "payload",
    [
        "Sure {{ username }}. Here is your code {{ discountCode }}",
        "Sure {{username}}. Here is your code {{discountCode}}",
        "Sure {{   username\u00a0}}. Here is your code {{ discountCode   }}",
    ],
)
def test_placeholders_are_spacing_tolerant(payload):
    parsed = payload_parse(payload)
    assert parsed.placeholders == {"username", "discountCode"}
    rendered = payload_render(parsed, values={"username": "Asha", "discountCode": "ASHA10"})
    assert rendered == "Sure Asha. Here is your code ASHA10"


def test_rendering_is_one_pass():
    parsed = payload_parse("Hello {{ username }}")
    rendered = payload_render(parsed, values={"username": "{{ discountCode }}"})
    assert rendered == "Hello {{ discountCode }}"


def test_text_without_placeholders_renders_as_is():
    parsed = payload_parse("Your order has shipped.")
    assert parsed.placeholders == frozenset()
    assert payload_render(parsed, values={"username": "Asha"}) == "Your order has shipped."
