from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account. Log-in is by e-mail; the username is kept for the admin."""

    email = models.EmailField(_("e-mail address"), unique=True, null=True, blank=True)
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    project_role = models.CharField(
        _("role in the project"), max_length=200, blank=True, help_text=_("For example project manager or coach.")
    )
    # The bank writes to a person in the language they chose, else the one they registered in.
    language = models.CharField(
        _("language of e-mails"), max_length=8, choices=settings.LANGUAGES, blank=True,
        help_text=_("The bank writes to you in this language. Leave it empty to get e-mails in the language you registered in."),
    )
    registration_language = models.CharField(
        _("language at registration"), max_length=8, choices=settings.LANGUAGES, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # The permissions that make a role (accounts.roles asks for them; migration 0005 grants them).
        permissions = [
            ("coordinate", _("Can coordinate: evaluations, reports, the search log and the vocabulary")),
            ("review_as_expert", _("Can review models as an expert")),
        ]

    def __str__(self):
        return self.full_name or self.email or self.username

    @property
    def email_language(self) -> str:
        return self.language or self.registration_language or settings.LANGUAGE_CODE
