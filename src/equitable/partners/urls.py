from django.shortcuts import redirect
from django.urls import path

from equitable.core.permissions import role_of
from equitable.core.roles import Role
from equitable.partners.views import agreements, clearance, directory, matching, portal


def start(request):
    """/partners/: partner users to their portal, board viewers to the relationships summary, others to the
    directory."""
    role = role_of(request.user)
    if role == Role.PARTNER:
        return redirect("partners:portal")
    if role == Role.BOARD:
        return redirect("partners:relationships")
    return redirect("partners:partner_list")


app_name = "partners"
urlpatterns = [
    path("", start, name="start"),
    *directory.urlpatterns,
    *clearance.urlpatterns,
    *agreements.urlpatterns,
    *matching.urlpatterns,
    *portal.urlpatterns,
]
