"""Widget sites (where the signup widget may run) and the signups it collects, per store."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone


class WidgetSite(models.Model):
    """A website of the seller that embeds the widget: a public key and its allowed origins."""

    name = models.CharField(max_length=120)
    # Public by design (it sits in the page's HTML); the origin list is what protects it.
    key = models.CharField(max_length=64, unique=True)
    allowed_origins = ArrayField(models.CharField(max_length=255), default=list, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.name


class Signup(models.Model):
    """One visitor's e-mail address, at most once per store."""

    email = models.CharField(max_length=254, unique=True)
    name = models.CharField(max_length=120, blank=True)
    site = models.ForeignKey(
        WidgetSite, null=True, blank=True, on_delete=models.SET_NULL, related_name="signups"
    )
    page_url = models.CharField(max_length=2000, blank=True)
    consent = models.BooleanField(default=False)
    consent_at = models.DateTimeField(null=True, blank=True)
    # The last octet (IPv4) or all but the first 48 bits (IPv6) are zeroed before storing.
    ip_truncated = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="signups_newest_first")]

    def __str__(self):
        return self.email


class SignupDigest(models.Model):
    """One run of the periodic digest; its run key makes a retried run send nothing twice."""

    run_key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField()
    # Signups created up to this instant are covered; the next digest counts from here.
    covered_until = models.DateTimeField()
    month_label = models.CharField(max_length=20)
    this_month = models.PositiveIntegerField()
    since_last = models.PositiveIntegerField()
    total = models.PositiveIntegerField()
    # E-mail addresses this run has handed to the mail backend (claimed before sending).
    recipients_sent = ArrayField(models.CharField(max_length=254), default=list, blank=True)

    class Meta:
        ordering = ["-covered_until", "-id"]

    def __str__(self):
        return f"{self.month_label}: {self.this_month} ({self.created_at:%Y-%m-%d %H:%M})"


class RefusedOrigin(models.Model):
    """An origin a site's widget was refused on, so the seller can allow it in one click.

    Bounded: a site keeps its latest REFUSED_ORIGINS_KEPT distinct origins (services.py), and
    a repeat is recorded at most once a minute per origin, so `times_seen` counts minutes with
    refusals rather than every request.
    """

    site = models.ForeignKey(WidgetSite, on_delete=models.CASCADE, related_name="refused_origins")
    origin = models.CharField(max_length=255)
    times_seen = models.PositiveIntegerField(default=1)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["site", "origin"], name="signups_refused_origin_once")
        ]

    def __str__(self):
        return self.origin
