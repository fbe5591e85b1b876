"""Routes of a store host (<slug>.<SAAS_ROOT_DOMAIN> and custom domains).

Each tool's routes come from its declaration (saas.tools); this file names no tool.
"""

from django.urls import include, path

import tenants.admin  # noqa: F401  (registers the store admin's own models)
from saas.tools import registered_tools
from saas.urls_common import common_urlpatterns
from tenants import apis as store_apis
from tenants import team_apis
from tenants.admin_site import store_admin_site

handler400 = "saas.api.views.bad_request_view"
handler404 = "saas.api.views.json_not_found_view"
handler500 = "saas.api.views.json_server_error_view"

urlpatterns = [
    path("admin/", store_admin_site.urls),
    path("console/", include("saas.console.urls")),
    path("api/store", store_apis.CurrentStoreApi.as_view(), name="current-store"),
    path("api/store/members", team_apis.StoreMemberListCreateApi.as_view(), name="store-members"),
    path(
        "api/store/members/<int:membership_id>",
        team_apis.StoreMemberDetailApi.as_view(),
        name="store-member",
    ),
    path("api/store/schedules", team_apis.StoreScheduleListApi.as_view(), name="store-schedules"),
    path(
        "api/store/schedules/<str:key>",
        team_apis.StoreScheduleDetailApi.as_view(),
        name="store-schedule",
    ),
    # Seller auth works on store hosts too (tokens are global, access is by membership).
    path("api/", include("shared_apps.accounts.urls")),
    *common_urlpatterns("saas.urls_tenant"),
    *(path("", include(tool.store_urls)) for tool in registered_tools() if tool.store_urls),
]
