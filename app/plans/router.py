"""JSON API of the plans domain."""

from fastapi import APIRouter

router = APIRouter(tags=["plans"])
