from django.shortcuts import get_object_or_404, render

from .models import Practice, Project, PublicationStatus, Subtheme, Theme


def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    return render(request, "catalog/theme_detail.html", {"theme": theme})


def subtheme_detail(request, theme, slug):
    subtheme = get_object_or_404(Subtheme, theme__slug=theme, slug=slug)
    return render(request, "catalog/subtheme_detail.html", {"subtheme": subtheme})


def practice_detail(request, slug):
    practice = get_object_or_404(Practice, slug=slug, status=PublicationStatus.PUBLISHED)
    return render(request, "catalog/practice_detail.html", {"practice": practice})


def project_list(request):
    return render(request, "catalog/project_list.html", {"projects": Project.objects.all()})


def project_detail(request, slug):
    project = get_object_or_404(Project, slug=slug)
    return render(request, "catalog/project_detail.html", {"project": project})


def open_data(request):
    return render(request, "catalog/open_data.html", {})
