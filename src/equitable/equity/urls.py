from django.urls import path

from equitable.equity import views

app_name = "equity"
urlpatterns = [
    path("", views.model_list, name="model_list"),
    path("models/add/", views.model_add, name="model_add"),
    path("models/<int:pk>/", views.model_detail, name="model_detail"),
    path("models/<int:pk>/edit/", views.model_edit, name="model_edit"),
    path("models/<int:pk>/compute/", views.model_compute, name="model_compute"),
    path("models/<int:pk>/compare/", views.model_compare, name="model_compare"),
    path("models/<int:pk>/schools/<str:cds_code>/", views.model_school, name="model_school"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("values/", views.value_list, name="value_list"),
]
