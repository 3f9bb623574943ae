from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from equitable.funding.queries import home_allocations
from equitable.network.selectors import network_at_a_glance
from equitable.partners.selectors.inbox import waiting_for


def home(request):
    return render(request, "web/home.html", {"glance": network_at_a_glance(request.user),
                                             "waiting": waiting_for(request.user),
                                             "allocations": home_allocations(request.user)})


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
