"""JSON API of the tokens domain."""

from fastapi import APIRouter

router = APIRouter(tags=["tokens"])
