from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """Pre-serialised thread pages served in front of Django (fast_path), and what makes them stale.

    A delivery-floor app: it reads comments, accounts and ratings; none of them knows it is here. Comment
    writes bump Thread.version themselves (comments.events.announce); the changes outside the conversation
    that show on a page are heard here (dependencies).
    """

    name = "talkies.pagecache"
    label = "pagecache"
    verbose_name = "Thread-page cache"

    def ready(self) -> None:
        from . import dependencies

        dependencies.connect()
