"""Template tags of the charts: embed a figure dict for `static/js/charts.js`, without inline JS."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# As django.utils.html.json_script: the JSON cannot close the <script> element or open a comment.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def chart_spec(spec, target):
    """A figure dict -> `<script type="application/json" class="chart-spec" data-target=...>`.

    `target` is the id of the element the chart is drawn into (the contract of charts.js).
    """
    payload = json.dumps(spec, cls=DjangoJSONEncoder, separators=(",", ":")).translate(_ESCAPES)
    return format_html(
        '<script type="application/json" class="chart-spec" data-target="{}">{}</script>',
        target,
        mark_safe(payload),  # noqa: S308
    )
