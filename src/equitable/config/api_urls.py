"""Every app's API router is registered here under /api/v1/."""

from rest_framework.routers import DefaultRouter

from equitable.network.api import register as register_network

router = DefaultRouter()
register_network(router)

urlpatterns = router.urls
