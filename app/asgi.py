"""ASGI entry point for uvicorn workers (`calp serve --workers N`)."""

from app.main import create_app

app = create_app()
