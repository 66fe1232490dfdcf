"""Every HTML page router, gathered for app.main."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
