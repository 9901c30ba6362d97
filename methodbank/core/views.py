from django.shortcuts import render

from methodbank.catalog.models import Theme


def home(request):
    return render(request, "core/home.html", {"themes": Theme.objects.all()})
