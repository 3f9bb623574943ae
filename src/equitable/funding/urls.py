from django.urls import path

from equitable.funding import views

app_name = "funding"
urlpatterns = [
    path("", views.scenario_list, name="scenario_list"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/add/", views.source_add, name="source_add"),
    path("sources/<int:pk>/edit/", views.source_edit, name="source_edit"),
    path("sources/<int:pk>/delete/", views.source_delete, name="source_delete"),
    path("scenarios/add/", views.scenario_add, name="scenario_add"),
    path("compare/", views.scenario_compare, name="scenario_compare"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario_detail"),
    path("scenarios/<int:pk>/edit/", views.scenario_edit, name="scenario_edit"),
    path("scenarios/<int:pk>/compute/", views.scenario_compute, name="scenario_compute"),
    path("scenarios/<int:pk>/adopt/", views.scenario_adopt, name="scenario_adopt"),
    path("scenarios/<int:pk>/copy/", views.scenario_copy, name="scenario_copy"),
]
