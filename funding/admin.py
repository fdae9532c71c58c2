"""Django admin: reference data (sources, regions, country groups, types of input) for superusers;
releases, observations and their events read-only, for the record. Figures change only through a
release (upload or `import_figures`), never by editing a row here."""

from django.contrib import admin
from django.db import models
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .events import describe_event
from .forms import CodeListMemberForm
from .importers import thousands_text
from .models import RELEASE_CONTENTS, CountryGroup, InputType, Observation, Region, Release, ReleaseEvent, Source
from .services import record_code_list_change
from .vocabulary import UNIT_NAMES, unit_of


class SuperuserOnly(admin.ModelAdmin):
    """Code lists are referenced by every observation: only superusers change them (and never delete:
    observations protect them), through forms.CodeListMemberForm, which keeps each spelling to one
    member and the parts one level deep."""

    form = CodeListMemberForm
    list_display = ("code", "name", "name_fr", "name_es", "order")
    search_fields = ("code", "name", "name_fr", "name_es")
    ordering = ("order", "name")

    def get_readonly_fields(self, request, obj=None):
        # A code is fixed once its member exists: addresses, files and SDMX keys name it.
        return ("code",) if obj is not None else ()

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_code_list_change()  # every page names these members: cached pages must follow


@admin.register(Source)
class SourceAdmin(SuperuserOnly):
    list_display = ("code", "name", "name_fr", "name_es", "order", "colour")


@admin.register(Region)
class RegionAdmin(SuperuserOnly):
    list_display = ("code", "name", "name_fr", "name_es", "order", "colour")


@admin.register(CountryGroup)
class CountryGroupAdmin(SuperuserOnly):
    pass


@admin.register(InputType)
class InputTypeAdmin(SuperuserOnly):
    list_display = ("code", "name", "name_fr", "name_es", "order", "colour")


class ReadOnly(admin.ModelAdmin):
    """The record: viewable by whoever has the view permission, changeable by nobody."""

    # The documents' addresses are shown, never typed in here; the scheme a form would assume for one
    # typed without it is Django 6's (https), said now rather than warned about on every view.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventFacts:
    """An event's facts (ReleaseEvent.facts) as the admin shows them: each fact by name, and the
    sentence the release record makes of them in the reader's language (funding/events.py)."""

    @admin.display(description=_("Facts"))
    def facts_shown(self, event):
        facts = sorted((event.facts or {}).items())
        return format_html_join(", ", "{}: {}", facts) if facts else "—"

    @admin.display(description=_("Record"))
    def record(self, event):
        return describe_event(event.action, event.facts, event.detail) or "—"


class ReleaseEventInline(EventFacts, admin.TabularInline):
    model = ReleaseEvent
    fields = ("action", "at", "by", "detail", "facts_shown", "record")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Release)
class ReleaseAdmin(ReadOnly):
    list_display = (
        "id",
        "shown_title",
        "state",
        "file_name",
        "created_at",
        "published_at",
        "new_values",
        "changed_values",
    )
    list_filter = ("state",)
    search_fields = ("title", "file_name", "checksum", "note")
    exclude = ("file_bytes",)  # the file is downloaded from the release history
    inlines = [ReleaseEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_dates().without_contents()

    @admin.display(description=pgettext_lazy("date of publication", "Published"), ordering="published_at")
    def published_at(self, release):
        return release.published_at

    @admin.display(description=_("Title"), ordering="title")
    def shown_title(self, release):
        return release.shown_title


@admin.register(Observation)
class ObservationAdmin(ReadOnly):
    list_display = (
        "measure",
        "year",
        "source",
        "region",
        "country_group",
        "input_type",
        "value",
        "unit",
        "status",
        "is_current",
        "release",
    )
    list_filter = ("measure", "is_current", "country_group", "source", "region")
    list_select_related = ("source", "region", "country_group", "input_type", "release")
    raw_id_fields = ("release",)

    # The column holds a value x 1000 (whole dollars for money): listed as every page writes it, in its
    # measure's unit (45.9 per cent, 12,426 thousand dollars, 134 countries), never as 45900 or 12426000.
    @admin.display(description=_("Value"), ordering="amount")
    def value(self, observation):
        return thousands_text(observation.amount)

    @admin.display(description=_("Unit"))
    def unit(self, observation):
        return UNIT_NAMES[unit_of(observation.measure)]

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*(f"release__{name}" for name in RELEASE_CONTENTS))


@admin.register(ReleaseEvent)
class ReleaseEventAdmin(EventFacts, ReadOnly):
    list_display = ("release", "action", "at", "by", "record")
    fields = ("release", "action", "at", "by", "detail", "facts_shown", "record")
    readonly_fields = fields
    list_filter = ("action",)
    list_select_related = ("release", "by")

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*(f"release__{name}" for name in RELEASE_CONTENTS))
