"""JSON API of the detections domain."""

from fastapi import APIRouter

router = APIRouter(tags=["detections"])
