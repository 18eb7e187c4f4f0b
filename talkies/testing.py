"""Marks a pytest run as a test run, before Django reads talkies.settings.

pyproject.toml loads this module with `-p talkies.testing`. pytest-django reads the settings while pytest
is still starting, before any conftest.py is imported, so setting the variable in a conftest would come too
late. Settings then see TALKIES_TESTING=1 and swap in fast password hashing, in-memory caches and
in-request email and webhooks. Tests that start servers or commands in subprocesses take the variable out
of their environment, so those run as a deployment would.
"""

import os

os.environ.setdefault("TALKIES_TESTING", "1")
