"""Settings from CALP_* environment variables (and an optional .env file).

Production is the default: secrets must be given, two-factor is enforced for admin and
coordinators, demo data is refused. Only CALP_ENV=development generates missing keys
(into ./var/, owner-only) so a fresh checkout runs with one command.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import sys
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(RuntimeError):
    """A setting is missing or unsafe for the chosen environment."""


def new_key() -> str:
    """A fresh 256-bit key, urlsafe base64 (the format CALP_DATA_KEY and CALP_SECRET_KEY use)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


KEY_BYTES = 32
# 32 random bytes hold about 30 distinct values; fewer than 16 happens with odds below
# 1e-15, while "xxx…", the test suite's b"s" * 32 or a repeated word fall far below it.
MIN_DISTINCT_BYTES = 16
MAKE_KEY = 'genere una con: python -c "from app.config import new_key; print(new_key())"'


def key_problem(text: str, *, exact: bool = False) -> str | None:
    """Why `text` is not a usable random key (base64url, padding optional), or None.

    Never quotes the key. `exact`: the data key feeds AES-256 and must be 32 bytes.
    """
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (ValueError, binascii.Error):
        return "no está en base64url"
    if len(raw) < KEY_BYTES or (exact and len(raw) != KEY_BYTES):
        return f"decodifica a {len(raw)} bytes"
    if len(set(raw)) < MIN_DISTINCT_BYTES:
        return "no es aleatoria (muy pocos bytes distintos)"
    return None


# Docker secrets (compose.yaml) are files here named like the variables, lower case
# (calp_secret_key, calp_data_key, calp_database_password); an environment variable wins.
SECRETS_DIR = Path(os.environ.get("CALP_SECRETS_DIR", "/run/secrets"))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CALP_",
        env_file=".env",
        extra="ignore",
        secrets_dir=SECRETS_DIR if SECRETS_DIR.is_dir() else None,
    )

    env: Literal["production", "development"] = "production"
    database_url: str = ""
    # Put into database_url when the URL has no password (kept out of the URL's variable).
    database_password: SecretStr | None = None
    var_dir: Path = Path("var")
    secret_key: SecretStr | None = None
    data_key: SecretStr | None = None
    old_data_keys: SecretStr | None = None
    cors_origins: str = ""
    suppression_k: int = 5
    access_token_minutes: int = 30
    session_idle_minutes: int = 30
    # Cheap hashing is only for the test suite (thousands of logins); never set it in service.
    fast_password_hash: bool = False
    # Sign-in throttling: failures per account or per address in the window, then 429.
    throttle_failures: int = 5
    throttle_window_seconds: int = 300
    lockout_failures: int = 20
    behind_https: bool = False
    # Addresses of reverse proxies whose X-Forwarded-For/-Proto are trusted (comma-separated,
    # "*" for any). Without it every request seems to come from the proxy, and per-address
    # sign-in throttling would lock out the whole office at once.
    forwarded_allow_ips: str = ""
    # What reading one import file may cost (app/imports/limits.py). Real imports are a few
    # thousand rows; the limits admit the 100,000-row benchmark file (172 MB of XLSX XML,
    # 4 M cells, inflation 12:1) and refuse a zip bomb or a runaway CSV long before memory.
    import_max_mb: int = 256  # uncompressed: CSV bytes, or an XLSX's inflated members
    import_max_ratio: int = 100  # inflated : compressed, per XLSX member over 1 MB
    import_max_rows: int = 200_000  # data rows, both sheets together
    import_max_cells: int = 5_000_000  # cells read, filled or empty
    import_max_seconds: float = 300.0  # reading and checking the file, before validation
    # Largest document a victim's file takes (app/documents/): a scanned court order or
    # report is a few MB; the limit is enforced while the upload streams (413).
    max_document_mb: int = 25

    @field_validator("suppression_k")
    @classmethod
    def _k_floor(cls, k: int) -> int:
        # Below 3 a published cell can single out a person; the floor is not configurable.
        return max(k, 3)

    @model_validator(mode="after")
    def _defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.var_dir / 'calp.db'}"
        if self.database_password is not None:
            self.database_url = _with_password(self.database_url, self.database_password)
        return self

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    @property
    def old_data_key_list(self) -> list[str]:
        raw = self.old_data_keys.get_secret_value() if self.old_data_keys else ""
        return [k.strip() for k in raw.split(",") if k.strip()]

    def secret(self) -> str:
        assert self.secret_key is not None, "call ensure_keys() first"
        return self.secret_key.get_secret_value()

    def ensure_keys(self) -> Settings:
        """Fill missing keys: generated in development, refused in production."""
        for name in ("secret_key", "data_key"):
            if getattr(self, name) is not None:
                continue
            if self.is_production:
                raise SettingsError(
                    f"CALP_{name.upper()} es obligatoria en producción "
                    "(use CALP_ENV=development para generar claves en una prueba local)."
                )
            setattr(self, name, SecretStr(_dev_key(self.var_dir, name)))
        if self.is_production:
            self._refuse_guessable_keys()
        return self

    def _refuse_guessable_keys(self) -> None:
        # A guessable secret key lets anyone sign a token for any user id; a guessable data
        # key opens every identity. CALP_OLD_DATA_KEYS are exempt: a weak key is rotated out.
        dev_keys = {
            path.read_text().strip()
            for path in (self.var_dir / "secret_key", self.var_dir / "data_key")
            if path.is_file()
        }
        for name in ("secret_key", "data_key"):
            value = getattr(self, name).get_secret_value()
            problem = key_problem(value, exact=name == "data_key")
            if problem is None and value in dev_keys:
                problem = f"es una clave de desarrollo generada en {self.var_dir}"
            if problem is not None:
                size = "32 bytes" if name == "data_key" else "al menos 32 bytes"
                raise SettingsError(
                    f"CALP_{name.upper()} {problem}: producción necesita una clave aleatoria de "
                    f"{size} en base64url; {MAKE_KEY}"
                )


def _with_password(database_url: str, password: SecretStr) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.password is not None or url.get_backend_name() == "sqlite":
        return database_url
    return url.set(password=password.get_secret_value()).render_as_string(hide_password=False)


def _dev_key(var_dir: Path, name: str) -> str:
    """Read or create ./var/<name> with owner-only permissions (development only)."""
    path = var_dir / name
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = new_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    # Said on stderr so the person running the service knows a key now lives there;
    # the key itself is never printed.
    print(f"calp: se generó {name} en {path} (solo desarrollo)", file=sys.stderr)
    return key


@lru_cache
def get_settings() -> Settings:
    return Settings().ensure_keys()
