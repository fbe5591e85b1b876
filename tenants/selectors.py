from django.conf import settings

from .models import Domain, Store
from .services import store_host_from_link


def store_by_link(*, link: str) -> Store | None:
    """A store from its link (URL, host or slug); None for the platform or anything unknown."""
    host = store_host_from_link(link)
    if not host:
        return None
    domain = Domain.objects.select_related("tenant").filter(domain=host).first()
    if domain is None or domain.tenant.schema_name in (
        settings.PUBLIC_SCHEMA_NAME,
        settings.TENANT_BASE_SCHEMA,
    ):
        return None
    return domain.tenant
