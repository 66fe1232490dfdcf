"""calp: case management for CALP (legal and psychosocial assistance to victims)."""
