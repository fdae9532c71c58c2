"""Reference data: the code lists every observation points into.

Codes are stable URL parameters. Colours are fixed here so a source or region is drawn in the same
colour on every page (a colour-blind-safe palette; the ILO's own blue for the regular budget).
"""

from django.db import migrations

TOTAL = "_T"

SOURCES = [
    # code, name, French name, extra-budgetary, colour
    ("rbtc", "Regular budget (RBTC)", "Budget ordinaire (CTBO)", False, "#1e2dbe"),
    ("undp", "UNDP", "PNUD", True, "#4aa3df"),
    ("trust-funds", "Trust funds and multi-bi", "Fonds de dépôt et financement multi-bilatéral", True, "#f28e2b"),
    ("unfpa", "UNFPA", "FNUAP", True, "#59a14f"),
]
REGIONS = [
    ("africa", "Africa", "Afrique", "#b5533c"),
    ("asia-pacific", "Asia and the Pacific", "Asie et Pacifique", "#e7b416"),
    ("latin-america-caribbean", "Latin America and the Caribbean", "Amérique latine et Caraïbes", "#2ca58d"),
    ("arab-states", "Arab States, Middle East", "États arabes, Moyen-Orient", "#8e6bbf"),
    ("europe", "Europe", "Europe", "#3f6fb5"),
    ("interregional", "Interregional and global", "Interrégional et mondial", "#8c8c8c"),
]
COUNTRY_GROUPS = [
    (TOTAL, "All countries", "Tous les pays"),
    ("ldc", "Least developed countries", "Pays les moins avancés"),
]
INPUT_TYPES = [
    (TOTAL, "All types of input", "Tous types d'apport"),
    ("experts", "Experts", "Experts"),
    ("other-personnel", "Other personnel", "Autre personnel"),
    ("training", "Training", "Formation"),
    ("equipment", "Equipment", "Matériel"),
    ("subcontracting", "Subcontracting", "Sous-traitance"),
    ("miscellaneous", "Miscellaneous", "Divers"),
]


def load(apps, schema_editor):
    Source = apps.get_model("funding", "Source")
    Region = apps.get_model("funding", "Region")
    CountryGroup = apps.get_model("funding", "CountryGroup")
    InputType = apps.get_model("funding", "InputType")
    apps.get_model("funding", "Dataset").objects.create(name="ILO technical cooperation")

    Source.objects.create(code=TOTAL, name="All sources", name_fr="Toutes sources", order=0, colour="#6b7280")
    for order, (code, name, name_fr, extra, colour) in enumerate(SOURCES, start=1):
        Source.objects.create(
            code=code, name=name, name_fr=name_fr, order=order, is_extrabudgetary=extra, colour=colour
        )
    Region.objects.create(code=TOTAL, name="All regions", name_fr="Toutes régions", order=0, colour="#6b7280")
    for order, (code, name, name_fr, colour) in enumerate(REGIONS, start=1):
        Region.objects.create(code=code, name=name, name_fr=name_fr, order=order, colour=colour)
    for order, (code, name, name_fr) in enumerate(COUNTRY_GROUPS):
        CountryGroup.objects.create(code=code, name=name, name_fr=name_fr, order=order)
    for order, (code, name, name_fr) in enumerate(INPUT_TYPES):
        InputType.objects.create(code=code, name=name, name_fr=name_fr, order=order)


def unload(apps, schema_editor):
    for model in ("Dataset", "InputType", "CountryGroup", "Region", "Source"):
        apps.get_model("funding", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
