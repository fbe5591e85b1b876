"""The store's team: owners run the store (profile, team, jobs, tokens), staff work in the tools.

Memberships live in the public schema and their ids are global, so every lookup here is by
(store, id): another store's membership is absent, never changed.
"""

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from saas.tenant_middleware import tenant_hosts_changed
from saas.validation import phone_to_e164
from shared_apps.accounts.models import Seller, StoreMembership

from .errors import StoreErrorCode
from .models import Store
from .services import StoreError

# Stores sell in India for now (prices in INR): a 10-digit number without +91 is Indian.
DEFAULT_MOBILE_REGION = "IN"
ROLES = tuple(StoreMembership.Role.values)


def member_list(*, store: Store) -> QuerySet[StoreMembership]:
    """The team, owners first, then by when they joined."""
    return (
        StoreMembership.objects.filter(store=store)
        .select_related("seller")
        .order_by("role", "created_at", "id")  # "owner" sorts before "staff"
    )


def member_get(*, store: Store, membership_id) -> StoreMembership:
    try:
        key = int(membership_id)
    except (TypeError, ValueError):
        key = None
    membership = (
        StoreMembership.objects.select_related("seller").filter(store=store, pk=key).first()
        if key
        else None
    )
    if membership is None:
        raise StoreError("There is no such member.", code=StoreErrorCode.MEMBER_NOT_FOUND)
    return membership


def member_owner_count(*, store: Store) -> int:
    return StoreMembership.objects.filter(store=store, role=StoreMembership.Role.OWNER).count()


def _role_check(role: str) -> str:
    if role not in ROLES:
        raise StoreError(
            "Choose the role: owner or staff.",
            code=StoreErrorCode.INVALID_ROLE,
            details={"role": str(role)[:20]},
        )
    return role


def _mobile_parse(mobile: str) -> str:
    e164 = phone_to_e164(str(mobile or "")[:32], default_region=DEFAULT_MOBILE_REGION)
    if e164 is None:
        raise StoreError(
            "Enter a mobile number, like 98765 43210 or +919876543210.",
            code=StoreErrorCode.INVALID_MOBILE,
        )
    return e164


@transaction.atomic
def member_invite(*, store: Store, mobile: str, role: str) -> StoreMembership:
    """Add the seller with this mobile to the team; a new mobile gets a seller account, who
    signs in with a code sent to it (nothing is sent now: the code comes when they sign in)."""
    role = _role_check(role)
    mobile = _mobile_parse(mobile)
    seller = Seller.objects.filter(mobile=mobile).first()
    if seller is None:
        seller = Seller.objects.create_user(mobile=mobile)
    if StoreMembership.objects.filter(store=store, seller=seller).exists():
        raise StoreError(f"{mobile} is already on the team.", code=StoreErrorCode.MEMBER_EXISTS)
    try:
        with transaction.atomic():
            return StoreMembership.objects.create(store=store, seller=seller, role=role)
    except IntegrityError as error:  # the same mobile invited twice at once
        raise StoreError(
            f"{mobile} is already on the team.", code=StoreErrorCode.MEMBER_EXISTS
        ) from error


def _store_locked(store: Store) -> Store:
    """The store row, locked: team changes of one store run one at a time, so two owners
    demoting each other at once cannot leave the store without an owner."""
    return Store.objects.select_for_update().get(pk=store.pk)


def _last_owner_refuse(*, store: Store, membership: StoreMembership, action: str) -> None:
    if membership.role == StoreMembership.Role.OWNER and member_owner_count(store=store) <= 1:
        raise StoreError(
            f"{membership.seller.display_name} is the store's only owner: make someone else an "
            f"owner before you {action} them.",
            code=StoreErrorCode.LAST_OWNER,
        )


def _store_owner_keep(store: Store) -> None:
    """`Store.owner` (who the store's mail is from, whose verification counts) stays one of
    its owners: the earliest remaining owner when the named one leaves or is demoted."""
    owners = StoreMembership.objects.filter(store=store, role=StoreMembership.Role.OWNER)
    if owners.filter(seller_id=store.owner_id).exists():
        return
    first = owners.order_by("created_at", "id").first()
    if first is not None:
        Store.objects.filter(pk=store.pk).update(owner_id=first.seller_id)
        tenant_hosts_changed()  # update() sends no signal; request.tenant carries the owner


@transaction.atomic
def member_role_set(*, store: Store, membership_id, role: str) -> StoreMembership:
    role = _role_check(role)
    store = _store_locked(store)
    membership = member_get(store=store, membership_id=membership_id)
    if role == membership.role:
        return membership
    if role == StoreMembership.Role.STAFF:
        _last_owner_refuse(store=store, membership=membership, action="make staff of")
    membership.role = role
    membership.save(update_fields=["role"])
    _store_owner_keep(store)
    return membership


@transaction.atomic
def member_remove(*, store: Store, membership_id) -> None:
    store = _store_locked(store)
    membership = member_get(store=store, membership_id=membership_id)
    _last_owner_refuse(store=store, membership=membership, action="remove")
    membership.delete()
    _store_owner_keep(store)
