from django.db import models

from talkies.accounts.models import Site


class SiteGeneration(models.Model):
    """A counter per site that goes up whenever anything its public pages show may have changed.

    The stored HTML pages, feeds and embed lookups (routes.py) are keyed by it, so a comment, a vote, a
    rating or an edit anywhere on the site gives every such page a new key: nothing has to be found and
    deleted, and no reader waits for a timeout. Coarser than Thread.version (which keys the thread API's
    pages) on purpose: a home or film page shows many threads and scores at once, and one counter read by
    one indexed query is what lets the fast path answer without Django. Bumped by dependencies.py.
    """

    site = models.OneToOneField(Site, on_delete=models.CASCADE, primary_key=True, related_name="+")
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.site_id}: generation {self.value}"
