"""desk-app: an offline-first ITIL incident management desk."""

import time

__version__ = "0.1.0"

# when this process started running our code: start-up times are measured from here
STARTED = time.perf_counter()

from desk_app import lean_peewee  # noqa: E402  (after STARTED: it is part of the start)

lean_peewee.install()
