"""JSON API of the statistics domain."""

from fastapi import APIRouter

router = APIRouter(tags=["statistics"])
