"""The WSGI application (Waitress, gunicorn). The URLconf, and through it every view module, is imported here
rather than by each process's first request: that request no longer waits about a second for the imports,
and gunicorn's workers, forked from a master that loaded this module (``preload_app``), start with all of it
loaded instead of importing it each."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (imports the URLconf; the resolver keeps it for the requests)
