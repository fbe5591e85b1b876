"""GitHub traffic kept beyond GitHub's 14 days: repositories, daily counts, dated snapshots."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from saas.access.tokens import HashedKeyToken


class GithubCredential(models.Model):
    """The store's GitHub token (one per store), kept encrypted and never shown again.

    A singleton: the row with pk=1. Only `token_encrypted` holds the secret (Fernet).
    """

    token_encrypted = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)
    # Who set it: a seller in the public schema. No database constraint, and DO_NOTHING, so
    # deleting a seller in the public schema never queries this store's tables.
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    class Meta:
        verbose_name = "GitHub token"
        verbose_name_plural = "GitHub token"

    def __str__(self):
        return "GitHub token (set)"


class Repository(models.Model):
    """A GitHub repository a seller follows in this store."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    owner = models.CharField(max_length=39)
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    last_fetch_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # Empty when the last fetch worked; otherwise a sentence the seller can act on.
    last_error = models.CharField(max_length=300, blank=True)
    last_error_code = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name_plural = "repositories"
        ordering = ["created_at"]
        constraints = [
            # GitHub names are case-insensitive: HackSoftware/X and hacksoftware/x are one.
            models.UniqueConstraint(
                "seller", Lower("owner"), Lower("name"), name="traffic_repository_unique_per_seller"
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def url(self) -> str:
        return f"https://github.com/{self.owner}/{self.name}"


class TrafficDay(models.Model):
    """One UTC day of one repository; each count is the maximum seen across fetches."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="days")
    date = models.DateField()
    views = models.PositiveIntegerField(default=0)
    unique_views = models.PositiveIntegerField(default=0)
    clones = models.PositiveIntegerField(default=0)
    unique_clones = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["repository", "date"]
        constraints = [
            models.UniqueConstraint(fields=["repository", "date"], name="traffic_day_unique"),
        ]

    def __str__(self):
        return f"{self.repository_id} {self.date}"


class ReferrerSnapshot(models.Model):
    """GitHub's top referrers (over its 14-day window) as seen on `date`."""

    repository = models.ForeignKey(
        Repository, on_delete=models.CASCADE, related_name="referrer_snapshots"
    )
    date = models.DateField()
    referrer = models.CharField(max_length=255)
    count = models.PositiveIntegerField()
    uniques = models.PositiveIntegerField()

    class Meta:
        ordering = ["repository", "date", "-count", "referrer"]
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "date", "referrer"], name="traffic_referrer_unique"
            ),
        ]

    def __str__(self):
        return f"{self.referrer} on {self.date}"


class PathSnapshot(models.Model):
    """GitHub's popular content (over its 14-day window) as seen on `date`."""

    repository = models.ForeignKey(
        Repository, on_delete=models.CASCADE, related_name="path_snapshots"
    )
    date = models.DateField()
    path = models.CharField(max_length=500)
    title = models.CharField(max_length=500, blank=True)
    count = models.PositiveIntegerField()
    uniques = models.PositiveIntegerField()

    class Meta:
        ordering = ["repository", "date", "-count", "path"]
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "date", "path"], name="traffic_path_unique"
            ),
        ]

    def __str__(self):
        return f"{self.path} on {self.date}"


class ShareToken(HashedKeyToken):
    """A read-only link to one seller's chart pages (`/users/<key>/repos`), revocable.

    The key is shown once, when the link is made; only its hash is stored. It opens the chart
    pages of this store and nothing else: it is no API token anywhere.
    """

    KEY_PREFIX = "shr_"

    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["-created_at", "-id"]
