"""Routes of the platform host (SAAS_ROOT_DOMAIN); tools add theirs through saas.tools."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from saas.tools import registered_tools
from saas.urls_common import common_urlpatterns
from tenants import apis as store_apis

handler400 = "saas.api.views.bad_request_view"
handler404 = "saas.api.views.json_not_found_view"
handler500 = "saas.api.views.json_server_error_view"

urlpatterns = [
    path("", TemplateView.as_view(template_name="platform_home.html"), name="home"),
    path("admin/", admin.site.urls),
    path("api/", include("shared_apps.accounts.urls")),
    path("api/", include("shared_apps.accounts.urls_platform")),
    path("api/stores", store_apis.StoreListCreateApi.as_view(), name="store-list"),
    path("api/stores/resolve", store_apis.StoreResolveApi.as_view(), name="store-resolve"),
    # Pages: sign-up/sign-in, the account, Your stores, Create your store (docs/platform.md).
    path("", include("shared_apps.accounts.urls_pages")),
    path("", include("tenants.platform_urls")),
    *common_urlpatterns("saas.urls_public"),
    *(path("", include(tool.platform_urls)) for tool in registered_tools() if tool.platform_urls),
]
