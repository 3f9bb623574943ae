"""Anonymous users reach only the login page (and static files); production pages carry a CSP."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect, resolve_url

PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/healthz", "/api/", "/lang/", "/favicon.ico")


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if not request.user.is_authenticated and not path.startswith(PUBLIC_PREFIXES):
            return redirect(f"{resolve_url(settings.LOGIN_URL)}?next={path}")
        return self.get_response(request)


CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(("/api/docs/", "/api/redoc/")):
            response.headers.setdefault("Content-Security-Policy", CSP)
        return response
