from django.urls import path

from equitable.network import views

app_name = "network"
urlpatterns = [
    path("schools/", views.school_list, name="school_list"),
    path("schools/add/", views.school_add, name="school_add"),
    path("schools/<str:cds_code>/", views.school_detail, name="school_detail"),
    path("schools/<str:cds_code>/edit/", views.school_edit, name="school_edit"),
    path("schools/<str:cds_code>/enrollment/", views.enrollment_edit, name="enrollment_edit_current"),
    path("schools/<str:cds_code>/enrollment/<str:year>/", views.enrollment_edit, name="enrollment_edit"),
    path("schools/<str:cds_code>/staff/add/", views.staff_add, name="staff_add"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("communities/", views.community_list, name="community_list"),
    path("communities/<slug:slug>/", views.community_detail, name="community_detail"),
    path("feeder-patterns/", views.feederpattern_list, name="feederpattern_list"),
    path("feeder-patterns/<int:pk>/", views.feederpattern_detail, name="feederpattern_detail"),
    path("people/", views.person_list, name="person_list"),
    path("people/add/", views.person_add, name="person_add"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
]
