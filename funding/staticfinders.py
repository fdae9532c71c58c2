"""A staticfiles finder that serves plotly.js's basic bundle from the npm package the set-up installs.

`make` installs `plotly.js-basic-dist-min` (package.json, pinned to the plotly.js that the Python
plotly package bundles, so the browser draws with the version that built the figures) into
`node_modules/`, which is never committed. The basic bundle has the bar, scatter and pie traces:
a third of the full bundle, and every chart tcdash draws is a bar chart. The file is exposed as
`vendor/plotly-basic.min.js`; `collectstatic` copies, hashes and compresses it like any other asset.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

PLOTLY_JS = "vendor/plotly-basic.min.js"
PACKAGE = "plotly.js-basic-dist-min"


def bundle_path():
    return Path(settings.BASE_DIR) / "node_modules" / PACKAGE / "plotly-basic.min.js"


class PlotlyJsFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(bundle_path().parent))
        self.storage.prefix = "vendor"

    def check(self, **kwargs):
        if bundle_path().is_file():
            return []
        return [Error(f"{bundle_path()} is missing: run `make run` or `npm install` (package.json).", id="tcdash.E001")]

    def find(self, path, find_all=False, **kwargs):
        if path != PLOTLY_JS or not bundle_path().is_file():
            return [] if find_all else None
        return [str(bundle_path())] if find_all else str(bundle_path())

    def list(self, ignore_patterns):
        if bundle_path().is_file():
            yield "plotly-basic.min.js", self.storage
