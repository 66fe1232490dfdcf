"""JSON API of the routes domain."""

from fastapi import APIRouter

router = APIRouter(tags=["routes"])
