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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email or self.username
