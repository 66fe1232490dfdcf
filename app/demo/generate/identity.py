"""Fake identities: names, documents, phones and addresses of nobody."""

from __future__ import annotations

from app.demo.generate.draw import Draw, Record

GIVEN_FEMALE = (
    "Ana",
    "Rosa",
    "Luz",
    "Flor",
    "Carmen",
    "Julia",
    "Elena",
    "Sonia",
    "Marta",
    "Lucía",
    "Inés",
    "Diana",
)
GIVEN_MALE = ("Juan", "Luis", "Carlos", "Pedro", "Jorge", "Mario", "Raúl", "Víctor", "Hugo")
FAMILY_NAMES = (
    "Ficticia",
    "Demostración",
    "Ejemplo",
    "Prueba",
    "Simulada",
    "Inventada",
    "Modelo",
    "Ensayo",
)
STREETS = ("Calle Ficticia", "Jr. Ejemplo", "Av. Demostración", "Pasaje Prueba")


class Identities:
    """Hands out identities, each with a document number of its own (but for duplicates)."""

    def __init__(self, doc_numbers: list[int]) -> None:
        self.doc_numbers = doc_numbers
        self.count = 0

    def new(self, draw: Draw, sex: str, nationality: str) -> Record:
        rng = draw.rng
        self.count += 1
        i = self.count
        given = GIVEN_FEMALE if sex == "female" else GIVEN_MALE
        number = self.doc_numbers.pop()
        if nationality == "PE":
            doc_type, doc = "dni", f"{number:08d}"
        else:
            doc_type = draw.pick({"foreign_id": 3, "passport": 3, "ptp": 4})
            doc = {
                "foreign_id": f"E{number:08d}",
                "passport": f"P{number:08d}",
                "ptp": f"CPP{number:08d}",
            }[doc_type]
        return {
            "given_names": " ".join(rng.sample(given, rng.choice((1, 2)))),
            "family_names": " ".join(rng.sample(FAMILY_NAMES, 2)),
            "document_type": doc_type,
            "document_number": doc,
            "phone": f"900 {i // 1000:03d} {i % 1000:03d}",
            "address": f"{rng.choice(STREETS)} {rng.randint(1, 999)}",
        }
