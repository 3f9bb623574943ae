from equitable.partners.views import agreements, clearance, directory, matching, portal

app_name = "partners"
urlpatterns = [
    *directory.urlpatterns,
    *clearance.urlpatterns,
    *agreements.urlpatterns,
    *matching.urlpatterns,
    *portal.urlpatterns,
]
