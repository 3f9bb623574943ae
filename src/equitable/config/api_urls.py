"""Every app's API router is registered here under /api/v1/."""

from rest_framework.routers import DefaultRouter

from equitable.network.api import register as register_network
from equitable.outcomes.api import register as register_outcomes

router = DefaultRouter()
register_network(router)
register_outcomes(router)

urlpatterns = router.urls
