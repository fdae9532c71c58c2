"""App configuration for funding, the technical cooperation figures."""

from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "Technical cooperation funding"
