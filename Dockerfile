# CALP service image. `calp serve` applies pending migrations, then serves.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/calp

# A fixed, unprivileged account (compose.yaml runs it as 10001:10001).
RUN groupadd --gid 10001 calp && useradd --create-home --uid 10001 --gid calp calp
# DejaVu Sans: the printable victim file's PDF shows every letter a name may hold.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md alembic.ini constraints.txt ./
COPY app/ app/
COPY migrations/ migrations/
COPY templates/ templates/
# The exact versions the tests ran with (constraints.txt): a new upstream release cannot
# change what the image gets.
RUN pip install --no-compile -c constraints.txt -e . \
    && mkdir -p /srv/calp/var /srv/calp/backups \
    && chown calp:calp /srv/calp/var /srv/calp/backups

USER 10001:10001
EXPOSE 8000
# Production by default: CALP_SECRET_KEY, CALP_DATA_KEY and CALP_DATABASE_URL must be set,
# as variables or as files in /run/secrets (calp_secret_key, calp_data_key and
# calp_database_password, see compose.yaml); no key is ever part of the image.
# `calp serve` applies pending migrations (in a short-lived child) before it serves; that
# step needs CALP_DATA_KEY (and CALP_OLD_DATA_KEYS mid-rotation) when a migration re-seals
# stored values (a04677cb3c71 binds every ciphertext to its row).
ENTRYPOINT ["sh", "-c", "exec calp serve --host 0.0.0.0 --port 8000 --workers ${CALP_WORKERS:-2}"]
