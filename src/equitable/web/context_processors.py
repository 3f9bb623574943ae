from equitable.core.permissions import role_of
from equitable.web.navigation import sections_for


def navigation(request):
    user = getattr(request, "user", None)
    return {"nav_sections": sections_for(user), "user_role": role_of(user)}
