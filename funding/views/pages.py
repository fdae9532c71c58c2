"""The overview page: Figures 1-3 of GB.270/TC/2 and expenditure by region."""

from django.http import HttpResponse


def overview(request):
    return HttpResponse("tcdash")
