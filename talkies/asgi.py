"""The ASGI application granian serves: Django, behind the thread-page fast path (pagecache.fast_path)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkies.settings")
django_application = get_asgi_application()

# Imported once Django is set up: the fast path reads models and settings.
from talkies.embed.cors import origin_headers  # noqa: E402
from talkies.lib.writegate import read_gate, write_gate  # noqa: E402
from talkies.live.admission import LiveStreamGate  # noqa: E402
from talkies.moderation.site_config import warm_up_signals  # noqa: E402
from talkies.pagecache.fast_path import ThreadPageFastPath  # noqa: E402
from talkies.pagecache.lookup_memo import commit_counter_for  # noqa: E402
from talkies.pagecache.store import process_page_store  # noqa: E402

warm_up_signals()  # each worker loads the text signals' models at start, not on its first comment

# The embed's cross-origin reads are served from the stored pages too, with the site's CORS headers.
# First pages readers asked for are rendered again after each write, before the next reader asks.
# Writes, and the reads Django renders, queue in front of it, a bounded number at a time per process
# (talkies.lib.writegate).
# On SQLite, page lookups are remembered until the next commit (talkies.pagecache.lookup_memo).
# Live streams are let in, within their caps, before anything else runs for them (talkies.live.admission).
application = LiveStreamGate(
    ThreadPageFastPath(
        read_gate(write_gate(django_application)),
        store=process_page_store(),
        origin_headers=origin_headers,
        warm_after_writes=True,
        commit_counter=commit_counter_for(),
    )
)
