"""Template filters for a figure's data table on paper: its years in blocks one sheet wide
(charts.year_blocks, as the briefing pack sets them)."""

from django import template

from ..charts import year_blocks

register = template.Library()


@register.filter
def printed_blocks(table):
    """A figure's table -> its blocks of years for the printed sheet, [] where one table fits the sheet
    (the screen's table prints as it is)."""
    blocks = year_blocks(table)
    return blocks if len(blocks) > 1 else []
