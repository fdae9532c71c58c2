"""URLs of the funding app (namespace `funding`)."""

from django.urls import path

from .views import data, pages

app_name = "funding"

urlpatterns = [
    path("", pages.overview, name="overview"),
    path("expenditure.json", data.figures_json, {"measure": "expenditure"}, name="expenditure-json"),
    path("approvals.json", data.figures_json, {"measure": "approvals"}, name="approvals-json"),
]
