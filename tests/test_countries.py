"""Country names as Spanish speakers write them, in Spanish order, the frequent ones first."""

from __future__ import annotations

import pycountry

from app.countries import FREQUENT, collation_key, country_catalog, country_name
from app.imports.reader import parse_country
from app.templating import country_choices


def test_names_are_spanish_and_spelt_right() -> None:
    assert country_name("DZ") == "Argelia"
    assert country_name("CI") == "Costa de Marfil"
    assert country_name("VE") == "Venezuela"
    assert country_name("BO") == "Bolivia"
    assert country_name("TN") == "Túnez"
    assert country_name("BF") == "Burkina Faso"
    assert country_name("KR") == "Corea del Sur"


def test_every_country_has_a_name_and_no_long_official_form() -> None:
    names = [c["label"] for c in country_catalog()]
    assert len(names) == len(pycountry.countries)
    # "Corea, República de", "Bolivia, Estado plurinacional de" and the like.
    assert not [n for n in names if n.endswith((" de", " del"))]


def test_spanish_collation_ignores_accents_and_puts_enie_after_n() -> None:
    assert sorted(["Ñandú", "Nueva", "Níger", "Nepal"], key=collation_key) == [
        "Nepal",
        "Níger",
        "Nueva",
        "Ñandú",
    ]
    labels = [c["label"] for c in country_catalog()]
    assert labels == sorted(labels, key=collation_key)
    # Accented initials sort with their letter, not after "Z".
    assert labels.index("Islas Åland") < labels.index(
        "Islas Bermudas" if "Islas Bermudas" in labels else "Islas Caimán"
    )
    assert labels.index("Zimbabue") == len(labels) - 1


def test_forms_offer_the_countries_calp_sees_most_first() -> None:
    codes = [code for code, _ in country_choices()]
    assert tuple(codes[: len(FREQUENT)]) == FREQUENT
    rest = [label for code, label in country_choices()][len(FREQUENT) :]
    assert rest == sorted(rest, key=collation_key)


def test_imports_still_read_the_official_and_english_forms() -> None:
    assert parse_country("Venezuela, República Bolivariana de") == "VE"
    assert parse_country("venezuela") == "VE"
    assert parse_country("Algeria") == "DZ"
    assert parse_country("ARGELIA") == "DZ"
    assert parse_country("Costa de Marfíl") == "CI"
