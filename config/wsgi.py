import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# An app server never starts with a cache that would give each of its workers its own rate limits.
from methodbank.core.checks import refuse_process_local_cache  # noqa: E402

refuse_process_local_cache()

# What loading Django and the bank created lives as long as the process: take it out of the garbage
# collector's generations, so that a collection during a request walks only the request's own
# objects. At 100,000 entries the full collections a search set off raised its p95 by a third
# (bench/search_bench.py).
gc.freeze()
