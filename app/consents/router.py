"""JSON API of the consents domain."""

from fastapi import APIRouter

router = APIRouter(tags=["consents"])
