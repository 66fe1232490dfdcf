# CALP service image. `calp serve` applies pending migrations, then serves.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/calp

RUN useradd --create-home --uid 10001 calp
COPY pyproject.toml README.md alembic.ini constraints.txt ./
COPY app/ app/
COPY migrations/ migrations/
COPY templates/ templates/
# The exact versions the tests ran with (constraints.txt): a new upstream release cannot
# change what the image gets.
RUN pip install --no-compile -c constraints.txt -e . \
    && mkdir -p /srv/calp/var && chown calp /srv/calp/var

USER calp
EXPOSE 8000
# Production by default: CALP_SECRET_KEY, CALP_DATA_KEY and CALP_DATABASE_URL must be set.
# `calp serve` applies pending migrations (in a short-lived child) before it serves.
ENTRYPOINT ["sh", "-c", "exec calp serve --host 0.0.0.0 --port 8000 --workers ${CALP_WORKERS:-2}"]
