from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

urlpatterns = [
    path("", include("equitable.web.urls")),
    path("network/", include("equitable.network.urls")),
    path("imports/", include("equitable.core.urls")),
    path("outcomes/", include("equitable.outcomes.urls")),
    path("need/", include("equitable.equity.urls")),
    path("funding/", include("equitable.funding.urls")),
    path("partners/", include("equitable.partners.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("equitable.config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
