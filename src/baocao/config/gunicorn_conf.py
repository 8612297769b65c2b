"""Gunicorn's configuration for serving with several processes (``baocao serve --workers N`` uses it; by hand:
``gunicorn -c python:baocao.config.gunicorn_conf``). Every value comes from an environment variable with a
working default, listed in docs/operations.md.

Each worker is a process with its own threads (``gthread``): a slow request (a PDF conversion, a round's zip)
holds one thread of one process, the others keep answering; several processes use every core, which one
Python process cannot.
"""

from __future__ import annotations

import os

from baocao.config.env import env_int, env_networks, env_str

wsgi_app = "baocao.config.wsgi:application"
# The master loads the application (Django, the URLconf, every view) once and each worker is forked from it:
# a worker starts, or is replaced (max_requests), without half a second to a second of imports, and shares
# those pages with the others. SIGHUP starts new workers from the code loaded; after an upgrade, restart.
preload_app = True
bind = [env_str("BAOCAO_BIND", "127.0.0.1:8000")]
workers = env_int("BAOCAO_WORKERS", 2 * (os.cpu_count() or 1) + 1)
worker_class = "gthread"
threads = env_int("BAOCAO_THREADS", 4)
# Open connections one worker keeps at once (keep-alive included); beyond it new ones wait in the backlog.
worker_connections = env_int("BAOCAO_CONNECTION_LIMIT", 100)
backlog = env_int("BAOCAO_BACKLOG", 2048)
keepalive = 5
# A PDF conversion of a long report takes a few seconds; a request running longer than this is stuck.
timeout = env_int("BAOCAO_WORKER_TIMEOUT", 120)
graceful_timeout = 30
# Workers are replaced now and then, so that a slow leak in a library never grows without bound.
max_requests = env_int("BAOCAO_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
# Only the trusted proxies may say which scheme the client used (as baocao.config.proxy decides for Django).
forwarded_allow_ips = ",".join(env_networks("BAOCAO_TRUSTED_PROXIES")) or "127.0.0.1"
accesslog = env_str("BAOCAO_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = env_str("BAOCAO_LOG_LEVEL", "WARNING").lower()
proc_name = "baocao"
