from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from equitable.web import views, views_audit

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("lang/", set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views_audit.audit_log, name="audit_log"),
]
