"""JSON API of the referrals domain."""

from fastapi import APIRouter

router = APIRouter(tags=["referrals"])
