"""Places a route leg can name: Peru's 25 INEI departments and countries by ISO code.

Departments are drawn at their capital city; countries at an approximate centroid. The
coordinates are for a schematic map (a few kilometres off does not matter); Spanish short
names are ours where pycountry's official ones are long ("Bolivia, Estado Plurinacional de").
"""

from __future__ import annotations

from dataclasses import dataclass

from app.catalogs import LABELS
from app.countries import country_name

PERU = "PE"

# INEI code -> (capital, lat, lon).
DEPARTMENT_CAPITALS: dict[str, tuple[str, float, float]] = {
    "01": ("Chachapoyas", -6.2317, -77.8690),
    "02": ("Huaraz", -9.5278, -77.5278),
    "03": ("Abancay", -13.6339, -72.8814),
    "04": ("Arequipa", -16.3989, -71.5350),
    "05": ("Ayacucho", -13.1588, -74.2239),
    "06": ("Cajamarca", -7.1638, -78.5003),
    "07": ("Callao", -12.0566, -77.1181),
    "08": ("Cusco", -13.5320, -71.9675),
    "09": ("Huancavelica", -12.7864, -74.9760),
    "10": ("Huánuco", -9.9306, -76.2422),
    "11": ("Ica", -14.0678, -75.7286),
    "12": ("Huancayo", -12.0651, -75.2049),
    "13": ("Trujillo", -8.1116, -79.0288),
    "14": ("Chiclayo", -6.7714, -79.8409),
    "15": ("Lima", -12.0464, -77.0428),
    "16": ("Iquitos", -3.7491, -73.2538),
    "17": ("Puerto Maldonado", -12.5933, -69.1891),
    "18": ("Moquegua", -17.1956, -70.9353),
    "19": ("Cerro de Pasco", -10.6864, -76.2625),
    "20": ("Piura", -5.1945, -80.6328),
    "21": ("Puno", -15.8402, -70.0219),
    "22": ("Moyobamba", -6.0342, -76.9717),
    "23": ("Tacna", -18.0066, -70.2463),
    "24": ("Tumbes", -3.5669, -80.4515),
    "25": ("Pucallpa", -8.3791, -74.5539),
}

# ISO 3166-1 alpha-2 -> (Spanish name, lat, lon of an approximate centroid).
COUNTRIES: dict[str, tuple[str, float, float]] = {
    # South America
    "PE": ("Perú", -9.19, -75.02),
    "BO": ("Bolivia", -16.29, -63.59),
    "BR": ("Brasil", -14.24, -51.93),
    "CO": ("Colombia", 4.57, -74.30),
    "EC": ("Ecuador", -1.83, -78.18),
    "VE": ("Venezuela", 6.42, -66.59),
    "CL": ("Chile", -35.68, -71.54),
    "AR": ("Argentina", -38.42, -63.62),
    "PY": ("Paraguay", -23.44, -58.44),
    "UY": ("Uruguay", -32.52, -55.77),
    "GY": ("Guyana", 4.86, -58.93),
    "SR": ("Surinam", 3.92, -56.03),
    "GF": ("Guayana Francesa", 3.93, -53.13),
    # Central America, Mexico and the Caribbean
    "MX": ("México", 23.63, -102.55),
    "GT": ("Guatemala", 15.78, -90.23),
    "BZ": ("Belice", 17.19, -88.50),
    "HN": ("Honduras", 15.20, -86.24),
    "SV": ("El Salvador", 13.79, -88.90),
    "NI": ("Nicaragua", 12.87, -85.21),
    "CR": ("Costa Rica", 9.75, -83.75),
    "PA": ("Panamá", 8.54, -80.78),
    "CU": ("Cuba", 21.52, -77.78),
    "DO": ("República Dominicana", 18.74, -70.16),
    "HT": ("Haití", 18.97, -72.29),
    "JM": ("Jamaica", 18.11, -77.30),
    "PR": ("Puerto Rico", 18.22, -66.59),
    "TT": ("Trinidad y Tobago", 10.69, -61.22),
    # North America
    "US": ("Estados Unidos", 37.09, -95.71),
    "CA": ("Canadá", 56.13, -106.35),
    # Europe
    "ES": ("España", 40.46, -3.75),
    "IT": ("Italia", 41.87, 12.57),
    "FR": ("Francia", 46.23, 2.21),
    "DE": ("Alemania", 51.17, 10.45),
    "PT": ("Portugal", 39.40, -8.22),
    "GB": ("Reino Unido", 55.38, -3.44),
    "NL": ("Países Bajos", 52.13, 5.29),
    "BE": ("Bélgica", 50.50, 4.47),
    "CH": ("Suiza", 46.82, 8.23),
    "AT": ("Austria", 47.52, 14.55),
    "PL": ("Polonia", 51.92, 19.15),
    "RO": ("Rumania", 45.94, 24.97),
    "GR": ("Grecia", 39.07, 21.82),
    "RU": ("Rusia", 61.52, 105.32),
    "UA": ("Ucrania", 48.38, 31.17),
    # Asia and the Middle East
    "CN": ("China", 35.86, 104.20),
    "JP": ("Japón", 36.20, 138.25),
    "KR": ("Corea del Sur", 35.91, 127.77),
    "IN": ("India", 20.59, 78.96),
    "PH": ("Filipinas", 12.88, 121.77),
    "TH": ("Tailandia", 15.87, 100.99),
    "VN": ("Vietnam", 14.06, 108.28),
    "ID": ("Indonesia", -0.79, 113.92),
    "MY": ("Malasia", 4.21, 101.98),
    "BD": ("Bangladés", 23.68, 90.36),
    "PK": ("Pakistán", 30.38, 69.35),
    "AE": ("Emiratos Árabes Unidos", 23.42, 53.85),
    "SA": ("Arabia Saudita", 23.89, 45.08),
    "TR": ("Turquía", 38.96, 35.24),
    "IL": ("Israel", 31.05, 34.85),
    # Africa and Oceania
    "NG": ("Nigeria", 9.08, 8.68),
    "MA": ("Marruecos", 31.79, -7.09),
    "SN": ("Senegal", 14.50, -14.45),
    "ZA": ("Sudáfrica", -30.56, 22.94),
    "AU": ("Australia", -25.27, 133.78),
}


@dataclass(frozen=True)
class Place:
    """Where a flow starts or ends: a Peruvian department, or a country (Peru itself
    when a leg in Peru has no department recorded). lat/lon are None only for a country
    missing from COUNTRIES."""

    country: str
    region: str | None
    name: str
    lat: float | None
    lon: float | None

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.country, self.region)


def department_name(region: str) -> str:
    return LABELS["region"].get(region, region)


def country_label(country: str) -> str:
    known = COUNTRIES.get(country)
    return known[0] if known else country_name(country)


def place_of(country: str, region: str | None) -> Place:
    """The place of a leg: its department when in Peru and known, else its country."""
    if country == PERU and region is not None and region in DEPARTMENT_CAPITALS:
        _, lat, lon = DEPARTMENT_CAPITALS[region]
        return Place(PERU, region, department_name(region), lat, lon)
    known = COUNTRIES.get(country)
    if known is None:
        return Place(country, None, country_name(country), None, None)
    return Place(country, None, known[0], known[1], known[2])
