"""JSON API of the audit domain."""

from fastapi import APIRouter

router = APIRouter(tags=["audit"])
