from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from saas.access.tokens import HashedKeyToken


class SellerManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email=None, mobile=None, password=None, **extra_fields):
        email = self.normalize_email(email).lower() if email else None
        seller = self.model(email=email, mobile=mobile or None, **extra_fields)
        if password:
            seller.set_password(password)
        else:
            seller.set_unusable_password()
        seller.save(using=self._db)
        return seller

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email=email, password=password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class Seller(AbstractBaseUser, PermissionsMixin):
    """A person who sells: signs in with a mobile number + OTP, or holds an API token."""

    email = models.EmailField(null=True, blank=True, unique=True)
    mobile = models.CharField(max_length=16, null=True, blank=True, unique=True)
    name = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Platform staff: may use /admin/.")
    date_joined = models.DateTimeField(default=timezone.now)
    # A seller is verified by a mobile code (signing in with one) or by the link e-mailed to
    # their address; only a verified seller's store sends mail (docs/conversations.md).
    email_verified_at = models.DateTimeField(null=True, blank=True)
    mobile_verified_at = models.DateTimeField(null=True, blank=True)

    objects = SellerManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_seller_email_ci_unique"),
        ]

    def __str__(self):
        return self.email or self.mobile or f"seller {self.pk}"

    @property
    def display_name(self) -> str:
        return self.name or str(self)

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None or self.mobile_verified_at is not None


class ApiToken(HashedKeyToken):
    """A seller's key for programs; valid on every store where the seller is a member."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, default="default")


class OtpChallenge(models.Model):
    """One code sent to one mobile for one audience (`scope`).

    Sellers use scope "seller"; a store's buyers use "customer:<schema>", so a code sent
    for one store can never sign anyone into another.
    """

    mobile = models.CharField(max_length=16)
    scope = models.CharField(max_length=80)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "mobile", "-created_at"])]

    def __str__(self):
        return f"{self.scope} {self.mobile} at {self.created_at:%Y-%m-%d %H:%M}"


class StoreMembership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        STAFF = "staff", "Staff"

    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="memberships")
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "seller"], name="accounts_membership_unique"),
        ]

    def __str__(self):
        return f"{self.seller} - {self.store} ({self.role})"
