from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Site
from .selectors import forget_cached_sites


@receiver([post_save, post_delete], sender=Site)
def site_changed(**kwargs: Any) -> None:
    forget_cached_sites()
