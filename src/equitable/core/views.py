"""The import page: choose a kind, upload a file, see the dry-run preview, confirm to apply.

The uploaded file is staged under DATA_DIR/uploads/ with a random token as its name; the session
remembers which tokens this user uploaded (with the kind and options), and the confirmation sends back
only the token. Network admins and home-office staff reach the page; each row's write is still checked
by the services against the user's own permissions.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from equitable.core.forms import ConfirmImportForm, ImportForm
from equitable.core.imports import (
    discard_staged,
    import_kind,
    import_kinds,
    read_staged,
    run_import,
    stage_upload,
)
from equitable.core.permissions import role_of
from equitable.core.roles import Role
from equitable.core.tabular import tabular_response

SESSION_KEY = "equitable_import_uploads"
PREVIEW_ROWS = 50
MAX_STAGED_PER_SESSION = 5


def _ensure_may_import(user) -> None:
    if role_of(user) not in (Role.ADMIN, Role.STAFF):
        raise PermissionDenied(_("Only network admins and home-office staff import files."))


def _page(request, form, *, result=None, kind=None, token=None, filename=""):
    return render(request, "core/import.html", {
        "form": form,
        "kinds": import_kinds(),
        "result": result,
        "kind": kind,
        "token": token,
        "filename": filename,
        "preview_rows": result.preview[:PREVIEW_ROWS] if result else [],
        "more_rows": max(len(result.preview) - PREVIEW_ROWS, 0) if result else 0,
    })


@require_http_methods(["GET", "POST"])
def import_page(request):
    _ensure_may_import(request.user)
    if request.method != "POST":
        return _page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form)
    kind = import_kind(form.cleaned_data["kind"])
    upload = form.cleaned_data["file"]
    options = form.options()
    token = stage_upload(upload.chunks())
    result = run_import(kind.make(acting_user=request.user, **options), read_staged(token),
                        filename=upload.name, dry_run=True)
    if not result.ok:
        discard_staged(token)
        return _page(request, form, result=result, kind=kind, filename=upload.name)
    staged = request.session.get(SESSION_KEY, {})
    for old in list(staged)[: max(len(staged) - MAX_STAGED_PER_SESSION + 1, 0)]:
        discard_staged(old)
        staged.pop(old, None)
    staged[token] = {"kind": kind.slug, "filename": upload.name, "options": options}
    request.session[SESSION_KEY] = staged
    return _page(request, ImportForm(initial={"kind": kind.slug}), result=result, kind=kind, token=token,
                 filename=upload.name)


@require_POST
def import_apply(request):
    _ensure_may_import(request.user)
    confirm = ConfirmImportForm(request.POST)
    staged = request.session.get(SESSION_KEY, {})
    entry = staged.pop(confirm.data.get("token", ""), None) if confirm.is_valid() else None
    content = read_staged(confirm.cleaned_data["token"]) if entry else None
    kind = import_kind(entry["kind"]) if entry else None
    if entry is None or content is None or kind is None:
        messages.error(request, _("This upload is no longer available; upload the file again."))
        return redirect("core:import")
    request.session[SESSION_KEY] = staged
    token = confirm.cleaned_data["token"]
    try:
        result = run_import(kind.make(acting_user=request.user, **entry["options"]), content,
                            filename=entry["filename"], dry_run=False)
    finally:
        discard_staged(token)
    if not result.ok:
        return _page(request, ImportForm(initial={"kind": kind.slug}), result=result, kind=kind,
                     filename=entry["filename"])
    messages.success(request, _("Imported %(file)s (%(kind)s): %(summary)s") % {
        "file": entry["filename"], "kind": kind.label, "summary": result.summary()})
    return redirect("core:import")


@require_GET
def import_template(request, kind):
    _ensure_may_import(request.user)
    found = import_kind(kind)
    if found is None or found.exporter is None:
        raise Http404
    return tabular_response(f"{found.slug}-template", list(found.importer.columns()), [], "csv")
