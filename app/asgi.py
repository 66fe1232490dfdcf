"""ASGI entry point for uvicorn workers (`calp serve --workers N`)."""

import gc

from app.main import create_app

app = create_app()

# The collector's full passes walk every object alive, and after start-up that is mostly
# the long-lived app (routes, schemas, SQLAlchemy's mappers and caches): ~140 ms a pass,
# every few dozen requests. Freezing moves them out of its sight; a larger first
# generation makes a request's short-lived objects die young without a pass each time.
# Measured in a served worker: ~1.5-2 ms of CPU less per follow-up write.
gc.collect()
gc.freeze()
gc.set_threshold(10_000, 20, 50)
