"""Read by gunicorn when it starts in this folder (its default config file).

It only passes gunicorn's worker count (`-w N`) to the bank as WEB_CONCURRENCY, so that the bank
knows it is served by several processes and refuses a process-local cache (config/wsgi.py,
methodbank/core/checks.py). Every other setting stays on the command line.
"""

import os


def on_starting(server):
    workers = server.cfg.workers
    if workers > int(os.environ.get("WEB_CONCURRENCY") or 1):
        os.environ["WEB_CONCURRENCY"] = str(workers)
