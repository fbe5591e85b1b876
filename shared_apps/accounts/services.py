from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from saas.api.errors import ApplicationError, NotFoundError

from .errors import AccountsErrorCode
from .models import ApiToken, Seller
from .otp import otp_challenge_request, otp_challenge_verify

SELLER_OTP_SCOPE = "seller"


class AccountError(ApplicationError):
    pass


def email_normalize(raw: str) -> str:
    email = str(raw or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise AccountError(
            "Enter a valid e-mail address.", code=AccountsErrorCode.INVALID_EMAIL
        ) from error
    return email


@transaction.atomic
def seller_create_with_email(*, email: str) -> tuple[Seller, str]:
    """A seller who works through the API: returns the seller and their first token's key."""
    email = email_normalize(email)
    if Seller.objects.filter(email__iexact=email).exists():
        raise AccountError("This e-mail is already registered.", code=AccountsErrorCode.EMAIL_TAKEN)
    try:
        with transaction.atomic():
            seller = Seller.objects.create_user(email=email)
    except IntegrityError as error:  # a concurrent signup with the same address
        raise AccountError(
            "This e-mail is already registered.", code=AccountsErrorCode.EMAIL_TAKEN
        ) from error
    _, key = api_token_create(seller=seller, name="default")
    return seller, key


@transaction.atomic
def api_token_create(*, seller: Seller, name: str = "default") -> tuple[ApiToken, str]:
    """Returns the token row and its key; the key is shown once and only its hash is kept."""
    token, key = ApiToken.new_with_key(seller=seller, name=name or "default")
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, seller: Seller, token_id: int) -> None:
    deleted, _ = ApiToken.objects.filter(seller=seller, pk=token_id).delete()
    if not deleted:
        raise NotFoundError("No such token.", code=AccountsErrorCode.TOKEN_NOT_FOUND)


def seller_otp_request(*, mobile: str) -> None:
    otp_challenge_request(
        mobile=mobile, scope=SELLER_OTP_SCOPE, message="Your Seller Suite code is {code}"
    )


def seller_otp_login(*, mobile: str, code: str) -> tuple[Seller, bool]:
    """Verify the code; the first successful verify creates the seller. Returns (seller, created).

    Not one transaction on purpose: a wrong code's counted try must survive the error.
    """
    mobile = otp_challenge_verify(mobile=mobile, scope=SELLER_OTP_SCOPE, code=code)
    return _seller_for_mobile(mobile=mobile)


@transaction.atomic
def _seller_for_mobile(*, mobile: str) -> tuple[Seller, bool]:
    seller, created = Seller.objects.get_or_create(mobile=mobile, defaults={"email": None})
    if created:
        seller.set_unusable_password()
        seller.save(update_fields=["password"])
    if not seller.is_active:
        raise AccountError("This account is disabled.", code=AccountsErrorCode.ACCOUNT_DISABLED)
    return seller, created
