"""Every app's API router is registered here under /api/v1/."""

from rest_framework.routers import DefaultRouter

from equitable.equity.api import register as register_equity
from equitable.funding.api import register as register_funding
from equitable.network.api import register as register_network
from equitable.outcomes.api import register as register_outcomes
from equitable.partners.api import register as register_partners

router = DefaultRouter()
register_network(router)
register_outcomes(router)
register_equity(router)
register_funding(router)
register_partners(router)

urlpatterns = router.urls
