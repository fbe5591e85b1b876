import pytest

from tenant_apps.signups.models import WidgetSite
from tests.support.signups import SHOP_ORIGIN
from tests.support.stores import in_store


@pytest.fixture(autouse=True)
def _fresh_throttles(redis_clean):
    """Every test starts with empty throttle counters (Redis db of this checkout)."""


@pytest.fixture
def site_a(store_a) -> WidgetSite:
    """Store A's default widget site, also allowing the seller's shop origin."""
    with in_store(store_a):
        site = WidgetSite.objects.get()
        site.allowed_origins = [*site.allowed_origins, SHOP_ORIGIN]
        site.save()
    return site


@pytest.fixture
def site_b(store_b) -> WidgetSite:
    with in_store(store_b):
        site = WidgetSite.objects.get()
        site.allowed_origins = [*site.allowed_origins, SHOP_ORIGIN]
        site.save()
    return site
