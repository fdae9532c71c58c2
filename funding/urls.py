"""URLs of the funding app (namespace `funding`)."""

from django.urls import path

from .views import data, pages

app_name = "funding"

urlpatterns = [
    path("", pages.overview, name="overview"),
    path("expenditure.json", data.figures_json, {"measure": "expenditure"}, name="expenditure-json"),
    path("approvals.json", data.figures_json, {"measure": "approvals"}, name="approvals-json"),
    path("expenditure.csv", data.figures_csv, {"measure": "expenditure"}, name="expenditure-csv"),
    path("approvals.csv", data.figures_csv, {"measure": "approvals"}, name="approvals-csv"),
    path("expenditure.xlsx", data.figures_xlsx, {"measure": "expenditure"}, name="expenditure-xlsx"),
    path("approvals.xlsx", data.figures_xlsx, {"measure": "approvals"}, name="approvals-xlsx"),
    path("api/openapi.json", data.openapi_json, name="openapi"),
]
