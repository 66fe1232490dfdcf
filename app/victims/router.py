"""JSON API of the victims domain."""

from fastapi import APIRouter

router = APIRouter(tags=["victims"])
