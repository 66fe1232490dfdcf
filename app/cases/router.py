"""JSON API of the cases domain."""

from fastapi import APIRouter

router = APIRouter(tags=["cases"])
