from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from .services import user_make_contributor


@receiver(email_confirmed)
def make_contributor_on_verified_email(sender, request, email_address, **kwargs):
    user_make_contributor(user=email_address.user)
