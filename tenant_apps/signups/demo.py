"""Demo signups for the store `make run` fills: 36 addresses over the last two months.

Idempotent: signups are unique by e-mail, and `signup_create` leaves a known address alone.
"""

from datetime import timedelta
from random import Random

from django.utils import timezone

from .models import WidgetSite
from .services import signup_create

FIRST_NAMES = ("Aarav", "Diya", "Kabir", "Isha", "Neel", "Tara", "Zoya", "Arjun", "Sara")
DEMO_SIGNUP_COUNT = 36


def demo_fill() -> None:
    site = WidgetSite.objects.order_by("pk").first()
    if site is None:
        return
    choose = Random(7)  # the same names and days on every run
    now = timezone.now()
    for number in range(DEMO_SIGNUP_COUNT):
        name = FIRST_NAMES[number % len(FIRST_NAMES)]
        signup_create(
            site=site,
            email=f"{name.lower()}.{number + 1}@demo.example.com",
            name=name,
            consent=number % 3 != 0,
            page_url="https://demo.example.com/",
            now=now - timedelta(days=choose.randint(0, 60), minutes=choose.randint(0, 600)),
        )
