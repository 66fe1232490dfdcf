"""JSON API of the protection domain."""

from fastapi import APIRouter

router = APIRouter(tags=["protection"])
