from django.urls import path

from equitable.core import views

app_name = "core"
urlpatterns = [
    path("", views.import_page, name="import"),
    path("apply/", views.import_apply, name="import_apply"),
    path("template/<slug:kind>.csv", views.import_template, name="import_template"),
]
