"""Releases: upload, preview, publish and withdraw figures (editors only), and the release history.

Who may do what:
- anyone may read the release history and download the upload templates;
- `funding.upload_release` (the Editors group) uploads files, previews drafts and downloads the
  files kept with releases;
- `funding.publish_release` (the Editors group) publishes drafts and withdraws releases. With
  `settings.REQUIRE_SEPARATE_PUBLISHER` the publisher must not be the uploader.
A visitor who is not signed in is sent to the sign-in page; a signed-in user without the
permission gets 403.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ..events import published_message, withdrawn_message
from ..forms import PublishForm, UploadForm, WithdrawForm
from ..importers import template_csv, template_xlsx
from ..logs import escaped
from ..models import Release, ReleaseEvent
from ..services import (
    AlreadyPublished,
    NothingToPublish,
    PublishRefused,
    StalePreview,
    WithdrawRefused,
    check_draft,
    create_draft,
    hidden_sheet_words,
    layout_words,
    left_as_on_record_words,
    preview_rows,
    preview_units,
    publish_draft,
    publisher_refusal,
    refuse_unless_draft,
    refuse_unless_published,
    restated_words,
    share_summary,
    tables_as_read,
    template_code_rows,
    template_names,
    totals_rows,
    withdraw_release,
)

# The server log's line for each upload, publish and withdrawal, accepted or refused (settings.LOGGING):
# the release record keeps what was published, not a refused upload nor who tried what.
logger = logging.getLogger("funding.releases")

UPLOAD = "funding.upload_release"
PUBLISH = "funding.publish_release"
LANGUAGE_CODES = [code for code, _ in settings.LANGUAGES]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def permission(perm):
    """Anonymous -> the sign-in page; signed in without `perm` -> 403; otherwise the view (Django's own
    login_required and permission_required, in that order). Never stored by a browser or a proxy
    (never_cache: `private, no-store`): a draft's preview, an uploaded file and the upload form stay off
    a shared computer's disk, and the back button after signing out does not show them again."""

    def decorator(view):
        return never_cache(login_required(permission_required(perm, raise_exception=True)(view)))

    return decorator


def _history(*, include_drafts):
    # Three queries whatever the number of releases; the stored files stay in the database.
    releases = (
        Release.objects.without_contents()
        .annotate(has_file=ExpressionWrapper(Q(file_bytes__isnull=False), output_field=BooleanField()))
        .select_related("created_by")
    )
    if not include_drafts:
        releases = releases.exclude(state=Release.State.DRAFT)
    events = ReleaseEvent.objects.select_related("by").order_by("at", "id")
    return releases.prefetch_related(Prefetch("events", queryset=events)).order_by("-id")


@require_safe
def history(request):
    """Every release, newest first: public.

    The history is public because it is the provenance of every published number: a Governing Body
    member who sees a figure change can see which release changed it, when, from which document,
    and whether it was withdrawn. Only what concerns editing stays with editors: drafts (not yet
    figures), the names of staff who uploaded or published, and the uploaded files themselves.
    """
    can_upload = request.user.has_perm(UPLOAD)
    return render(
        request,
        "funding/releases/history.html",
        {
            "releases": _history(include_drafts=can_upload),
            "can_upload": can_upload,
            "can_publish": request.user.has_perm(PUBLISH),
        },
    )


def _template_urls():
    """The upload template's addresses in the page's language (its notes and code names in it)."""
    lang = get_language() or "en"
    query = "" if lang == "en" else f"?lang={lang}"
    return {
        "template_csv_url": reverse("funding:template-csv") + query,
        "template_xlsx_url": reverse("funding:template-xlsx") + query,
    }


@permission(UPLOAD)
@require_http_methods(["GET", "POST"])
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    check = None
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        check, draft = create_draft(
            data=file.read(),
            file_name=file.name,
            number_format=form.cleaned_data["number_format"],
            note=form.cleaned_data["note"],
            user=request.user,
            options=form.read_options(),
        )
        _log_upload(request.user, file, check, draft)
        if draft is not None:
            return redirect("funding:release", pk=draft.pk)
    # Problems are shown as form errors on the page itself (200), as any Django form does; a table
    # whose printed shares or totals disagree is shown as read beside the live values, to say where.
    context = {"form": form, "check": check, **_template_urls()}
    if check is not None and check.changes:
        context.update(
            tables=tables_as_read(check),
            layout=layout_words(check),
            share_summary=share_summary(check),
            left_as_on_record=left_as_on_record_words(check),
        )
    return render(request, "funding/releases/upload.html", context)


def _log_upload(user, file, check, draft):
    what = f"upload of '{escaped(file.name)}' ({file.size} bytes, SHA-256 {check.checksum[:16]})"
    what += f" by {escaped(user.username)}"
    if draft is not None:
        counts = check.counts
        logger.info(
            "%s: draft release %s, %s new, %s changed, %s unchanged",
            what,
            draft.pk,
            counts["new"],
            counts["changed"],
            counts["unchanged"],
        )
    elif check.identical is not None:
        logger.info("%s: already published as release %s, nothing changed", what, check.identical.pk)
    else:
        count, cut_short = check.tally
        first = escaped(str(check.problems[0])) if check.problems else ""
        logger.info("%s refused: %s%s problem(s), the first: %s", what, "more than " if cut_short else "", count, first)


@permission(UPLOAD)
@require_safe
def release(request, pk):
    """A draft's preview against today's live values, with the publish button; or a release's record."""
    release = get_object_or_404(Release, pk=pk)
    check = check_draft(release) if release.state == Release.State.DRAFT else None
    return render(
        request,
        "funding/releases/release.html",
        {
            "release": release,
            "events": release.events.select_related("by"),
            "check": check,
            "changes": preview_rows(check) if check and check.ok else [],
            "units": preview_units(check) if check and check.ok else [],
            "totals": totals_rows(check) if check and check.ok else [],
            "tables": tables_as_read(check) if check and check.ok else [],
            "layout": layout_words(check) if check else "",
            "share_summary": share_summary(check) if check else "",
            "left_as_on_record": left_as_on_record_words(check) if check else "",
            "restated_years": restated_words(check) if check and check.ok else "",
            "hidden_names": hidden_sheet_words(check) if check else "",
            "publish_form": PublishForm(initial={"fingerprint": check.fingerprint}) if check and check.ok else None,
            "can_publish": request.user.has_perm(PUBLISH),
            "publish_refusal": publisher_refusal(release, request.user),
        },
    )


@permission(PUBLISH)
@require_POST
def publish(request, pk):
    release = get_object_or_404(Release, pk=pk)
    form = PublishForm(request.POST)
    try:
        refuse_unless_draft(release)  # a second tab or a form sent again: whatever the form holds
        if not form.is_valid():
            messages.error(request, gettext("The publish form was incomplete. Preview the file again, then publish."))
            return redirect("funding:release", pk=pk)
        published, created = publish_draft(
            release=release, user=request.user, expected_fingerprint=form.cleaned_data["fingerprint"]
        )
    except (NothingToPublish, AlreadyPublished) as nothing:
        logger.info("publish of release %s by %s: %s", pk, escaped(request.user.username), escaped(str(nothing)))
        messages.info(request, str(nothing))
        return redirect("funding:release", pk=pk)
    except (StalePreview, PublishRefused) as refusal:
        logger.info(
            "publish of release %s by %s refused: %s", pk, escaped(request.user.username), escaped(str(refusal))
        )
        messages.error(request, str(refusal))
        return redirect("funding:release", pk=pk)
    logger.info(
        "release %s published by %s: %s new, %s changed%s",
        published.pk,
        escaped(request.user.username),
        published.new_values,
        published.changed_values,
        "" if created else " (the same file published before; nothing changed)",
    )
    if created:
        messages.success(
            request,
            published_message(number=published.pk, new=published.new_values, changed=published.changed_values),
        )
    else:
        messages.info(
            request,
            gettext("This file is already published as release %(number)s; nothing changed.")
            % {"number": published.pk},
        )
    return redirect("funding:releases")


@permission(PUBLISH)
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    release = get_object_or_404(Release.objects.with_dates().without_contents(), pk=pk)
    form = WithdrawForm(request.POST or None)
    try:
        refuse_unless_published(release)  # nothing to confirm; the service asks again under the lock
        if request.method != "POST" or not form.is_valid():
            return render(request, "funding/releases/withdraw.html", {"release": release, "form": form})
        withdraw_release(release=release, user=request.user, note=form.cleaned_data["note"])
    except WithdrawRefused as refusal:  # withdrawn already (a moment ago?), or what it restores would not hold
        logger.info(
            "withdrawal of release %s by %s refused: %s", pk, escaped(request.user.username), escaped(str(refusal))
        )
        messages.error(request, str(refusal))
        return redirect("funding:releases")
    # The counts the record keeps of this withdrawal, so the message and the record say the same.
    event = release.events.filter(action=ReleaseEvent.Action.WITHDRAW).latest("id")
    logger.info(
        "release %s withdrawn by %s: %s values withdrawn, %s earlier values restored",
        pk,
        escaped(request.user.username),
        event.facts.get("withdrawn"),
        event.facts.get("restored"),
    )
    messages.success(request, withdrawn_message(number=pk, facts=event.facts))
    return redirect("funding:releases")


@permission(UPLOAD)
@require_safe
def release_file(request, pk):
    """The file exactly as it was uploaded, under its own name."""
    release = get_object_or_404(Release.objects.exclude(file_bytes=None).defer("checked"), pk=pk)
    name = release.file_name.rsplit("/", 1)[-1] or f"release-{pk}"
    content_type = XLSX if name.lower().endswith(".xlsx") else "text/csv; charset=utf-8"
    response = HttpResponse(bytes(release.file_bytes), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Checksum-SHA256"] = release.checksum
    return response


@require_safe
def template_file(request, extension):
    """The upload template (public): the long layout of every CSV export, with real example rows."""
    lang = request.GET.get("lang", get_language() or "en")
    if lang not in LANGUAGE_CODES or set(request.GET) - {"lang"}:
        return HttpResponseBadRequest(
            gettext("The template takes one parameter, lang: one of %(known)s.") % {"known": ", ".join(LANGUAGE_CODES)},
            content_type="text/plain; charset=utf-8",
        )
    with translation.override(lang):
        if extension == "xlsx":
            response = HttpResponse(template_xlsx(template_code_rows(), template_names()), content_type=XLSX)
        else:
            response = HttpResponse(template_csv(template_names()), content_type="text/csv; charset=utf-8")
    suffix = "" if lang == "en" else f"-{lang}"
    response["Content-Disposition"] = f'attachment; filename="tcdash-upload-template{suffix}.{extension}"'
    response["Content-Language"] = lang
    return response
