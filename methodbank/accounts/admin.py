from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Profile"), {"fields": ("full_name", "organisation", "project_role")}),
    )
    list_display = ["username", "email", "full_name", "organisation", "is_staff"]
    search_fields = ["username", "email", "full_name", "organisation"]
