"""Routes of a store host (<slug>.<SAAS_ROOT_DOMAIN> and custom domains)."""

from django.urls import include, path

import tenants.admin  # noqa: F401  (registers the store admin's own models)
from saas.urls_common import common_urlpatterns
from tenants import apis as store_apis
from tenants.admin_site import store_admin_site

handler404 = "saas.api.views.json_not_found_view"
handler500 = "saas.api.views.json_server_error_view"

urlpatterns = [
    path("admin/", store_admin_site.urls),
    path("api/store", store_apis.CurrentStoreApi.as_view(), name="current-store"),
    # Seller auth works on store hosts too (tokens are global, access is by membership).
    path("api/", include("shared_apps.accounts.urls")),
    *common_urlpatterns("saas.urls_tenant"),
    path("", include("tenant_apps.signups.urls")),
    path("", include("tenant_apps.catalog.urls")),
    path("", include("tenant_apps.orders.urls")),
    path("", include("tenant_apps.conversations.urls")),
    path("", include("tenant_apps.analytics.urls")),
    path("", include("tenant_apps.traffic.urls")),
]
