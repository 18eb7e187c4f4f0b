import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkies.settings")
application = get_wsgi_application()

from talkies.moderation.site_config import warm_up_signals  # noqa: E402

warm_up_signals()  # each worker loads the text signals' models at start, not on its first comment
