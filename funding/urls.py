"""URLs of the funding app (namespace `funding`)."""

from django.urls import path, re_path

from .sdmx import NOT_SERVED
from .views import data, datapackage, history, pages, sdmx
from .views import explorer as explorer_views
from .views import releases as release_views

app_name = "funding"

urlpatterns = [
    path("", pages.overview, name="overview"),
    path("briefing.pdf", pages.briefing_pdf, name="briefing"),
    path("expenditure/", explorer_views.explorer_page, {"measure": "expenditure"}, name="expenditure"),
    path("approvals/", explorer_views.explorer_page, {"measure": "approvals"}, name="approvals"),
    path("expenditure/history/", history.cell_history_page, {"measure": "expenditure"}, name="expenditure-history"),
    path("approvals/history/", history.cell_history_page, {"measure": "approvals"}, name="approvals-history"),
    path("expenditure.json", data.figures_json, {"measure": "expenditure"}, name="expenditure-json"),
    path("approvals.json", data.figures_json, {"measure": "approvals"}, name="approvals-json"),
    path("expenditure.csv", data.figures_csv, {"measure": "expenditure"}, name="expenditure-csv"),
    path("approvals.csv", data.figures_csv, {"measure": "approvals"}, name="approvals-csv"),
    path("expenditure.xlsx", data.figures_xlsx, {"measure": "expenditure"}, name="expenditure-xlsx"),
    path("approvals.xlsx", data.figures_xlsx, {"measure": "approvals"}, name="approvals-xlsx"),
    # The recipient countries' count (GB.270/TC/2, para. 20): twins without a page of their own (the
    # overview shows it among its key facts).
    path("recipients.json", data.figures_json, {"measure": "recipients"}, name="recipients-json"),
    path("recipients.csv", data.figures_csv, {"measure": "recipients"}, name="recipients-csv"),
    path("recipients.xlsx", data.figures_xlsx, {"measure": "recipients"}, name="recipients-xlsx"),
    path("api/openapi.json", data.openapi_json, name="openapi"),
    # The Frictionless Data Package: descriptor, each measure's CSV, and the whole as a zip.
    path("datapackage.json", datapackage.datapackage_json, name="datapackage"),
    path("datapackage.zip", datapackage.datapackage_zip, name="datapackage-zip"),
    path("datapackage/data/<str:measure>.csv", datapackage.measure_file, name="datapackage-csv"),
    # SDMX REST 2.1: data, then structures (dataflow, datastructure, codelist, conceptscheme...).
    path("sdmx/data/<str:flow>", sdmx.data, name="sdmx-data"),
    path("sdmx/data/<str:flow>/<str:key>", sdmx.data, name="sdmx-data-key"),
    path("sdmx/data/<str:flow>/<str:key>/<str:provider>", sdmx.data, name="sdmx-data-provider"),
    # The SDMX 2.1 resources not served (availableconstraint, metadata, schema): 501, at any depth.
    re_path(rf"^sdmx/(?P<resource>{'|'.join(NOT_SERVED)})(?:/[\s\S]*)?\Z", sdmx.not_served, name="sdmx-not-served"),
    path("sdmx/<str:kind>", sdmx.structure, name="sdmx-structures"),
    path("sdmx/<str:kind>/<str:agency>", sdmx.structure, name="sdmx-structure-agency"),
    path("sdmx/<str:kind>/<str:agency>/<str:artefact_id>", sdmx.structure, name="sdmx-structure-id"),
    path("sdmx/<str:kind>/<str:agency>/<str:artefact_id>/<str:version>", sdmx.structure, name="sdmx-structure"),
    # Any other address under sdmx/ is SDMX's 404 (an SDMX error message, Vary: Accept), not the site's page.
    re_path(r"^sdmx(?:/[\s\S]*)?\Z", sdmx.not_found, name="sdmx-not-found"),
    # Releases: the public history, and the editors' upload, preview, publish and withdraw.
    path("releases/", release_views.history, name="releases"),
    path("releases/upload/", release_views.upload, name="upload"),
    path("releases/template.csv", release_views.template_file, {"extension": "csv"}, name="template-csv"),
    path("releases/template.xlsx", release_views.template_file, {"extension": "xlsx"}, name="template-xlsx"),
    path("releases/<int:pk>/", release_views.release, name="release"),
    path("releases/<int:pk>/publish/", release_views.publish, name="publish"),
    path("releases/<int:pk>/withdraw/", release_views.withdraw, name="withdraw"),
    path("releases/<int:pk>/file/", release_views.release_file, name="release-file"),
]
