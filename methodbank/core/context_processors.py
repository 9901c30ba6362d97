from django.conf import settings


def site(request):
    return {
        "SITE_URL": settings.SITE_URL,
        "OPEN_DATA_LICENCE": settings.OPEN_DATA_LICENCE,
        "OPEN_DATA_LICENCE_URL": settings.OPEN_DATA_LICENCE_URL,
    }
