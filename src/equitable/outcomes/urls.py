from django.urls import path

from equitable.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("schools/<str:cds_code>/", views.school_outcomes, name="school"),
    path("goals/", views.goal_list, name="goal_list"),
    path("goals/add/", views.goal_add, name="goal_add"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
]
