import django_filters

from accounts.models import Role, User
from config.filters import StableOrderingFilter


class UserFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices)
    is_active = django_filters.BooleanFilter()
    ordering = StableOrderingFilter(fields=("username", "date_joined", "last_name"))

    class Meta:
        model = User
        fields = ["role", "is_active"]
