"""The demo network's schools: public directory facts plus the network's (demo) membership story.

CDS codes, names, addresses, ZIP codes, grade spans, school types and coordinates are public facts
copied from the CDE public schools directory (Los Angeles Unified rows; only these rows' values, typed
in here). Join years and routes follow the source documents where they name them (DOMAIN.md 1.3);
where they do not (and for the schools added to make 19), the dates are illustrative demo values.
Enrollment figures are synthetic (see `generate.py`): `students` is the 2025-26 total the demo aims at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

WATTS, SOUTH_LA, BOYLE_HEIGHTS = "watts", "south-la", "boyle-heights"


@dataclass(frozen=True)
class CommunitySpec:
    slug: str
    name: str
    zip_codes: tuple[str, ...]
    description: str


COMMUNITIES: tuple[CommunitySpec, ...] = (
    CommunitySpec(WATTS, "Watts", ("90002", "90059"),
                  "South Los Angeles neighborhood; the network's Watts family of schools (demo description)."),
    CommunitySpec(SOUTH_LA, "South LA", ("90003", "90011", "90044", "90037"),
                  "South Los Angeles schools around Santee, Gompers and Carver (demo description)."),
    CommunitySpec(BOYLE_HEIGHTS, "Boyle Heights", ("90023", "90033", "90063"),
                  "East of downtown; the network's founding schools joined here by stakeholder vote in 2007-08 "
                  "(demo description)."),
)


@dataclass(frozen=True)
class SchoolSpec:
    key: str
    cds_code: str
    name: str
    grade_low: int
    grade_high: int
    street: str
    city: str
    zip_code: str
    latitude: Decimal
    longitude: Decimal
    school_type: str
    community: str | None
    joined_on: date
    join_route: str
    students: int  # 2025-26 demo enrollment (synthetic, near the school's real size)
    left_on: date | None = None


ES, MS, HS = "Elementary Schools (Public)", "Intermediate/Middle Schools (Public)", "High Schools (Public)"


def _s(key, cds, name, low, high, street, zip_code, lat, lon, school_type, community, joined, route, students,
       left=None, city="Los Angeles") -> SchoolSpec:
    return SchoolSpec(key, cds, name, low, high, street, city, zip_code, Decimal(lat), Decimal(lon), school_type,
                      community, joined, route, students, left)


SCHOOLS: tuple[SchoolSpec, ...] = (
    # Watts
    _s("jordan", "19647331934454", "Jordan High", 9, 12, "2265 East 103rd Street", "90002",
       "33.943161", "-118.23129", HS, WATTS, date(2011, 7, 1), "district", 1050),
    _s("markham", "19647336061527", "Edwin Markham Middle", 6, 8, "1650 East 104th Street", "90002",
       "33.941417", "-118.24489", MS, WATTS, date(2008, 7, 1), "expansion", 620),
    _s("grape", "19647336017362", "Grape Street Elementary", 0, 5, "1940 East 111th Street", "90059",
       "33.934247", "-118.23791", ES, WATTS, date(2016, 7, 1), "district", 420),
    _s("99th", "19647336018345", "Ninety-Ninth Street Elementary", 0, 6, "9900 South Wadsworth Avenue", "90002",
       "33.946541", "-118.25855", ES, WATTS, date(2008, 7, 1), "expansion", 560),
    _s("107th", "19647336018535", "One Hundred Seventh Street Elementary", 0, 5, "147 East 107th Street", "90003",
       "33.939372", "-118.27266", ES, WATTS, date(2008, 7, 1), "expansion", 590),
    _s("joyner", "19647336018527", "Florence Griffith Joyner Elementary", 0, 5, "1963 East 103rd Street", "90002",
       "33.943190", "-118.23743", ES, WATTS, date(2010, 7, 1), "expansion", 560),
    _s("ritter", "19647336018915", "Ritter Elementary", 0, 5, "11108 Watts Avenue", "90059",
       "33.934351", "-118.22785", ES, WATTS, date(2012, 7, 1), "expansion", 450),
    # South LA
    _s("santee", "19647330109447", "Santee Education Complex", 9, 12, "1921 South Maple Avenue", "90011",
       "34.028729", "-118.26211", HS, SOUTH_LA, date(2008, 7, 1), "expansion", 1250),
    _s("gompers", "19647336058028", "Samuel Gompers Middle", 6, 8, "234 East 112th Street", "90061",
       "33.932962", "-118.27739", MS, SOUTH_LA, date(2008, 7, 1), "expansion", 680),
    _s("carver", "19647336057921", "George Washington Carver Middle", 6, 8, "4410 McKinley Avenue", "90011",
       "34.003092", "-118.26085", MS, SOUTH_LA, date(2010, 7, 1), "expansion", 760),
    _s("huerta", "19647330122135", "Dolores Huerta Elementary", 0, 5, "260 East 31st Street", "90011",
       "34.019825", "-118.26857", ES, SOUTH_LA, date(2010, 7, 1), "expansion", 470),
    # The directory places 20th Street's coordinates far from its ZIP; they are copied as published.
    _s("20th", "19647336019582", "Twentieth Street Elementary", 0, 5, "1358 East Walnut Street", "90011",
       "34.149338", "-118.12230", ES, SOUTH_LA, date(2011, 7, 1), "petition", 650),
    _s("figueroa", "19647336017073", "Figueroa Street Elementary", 0, 5, "510 West 111th Street", "90044",
       "33.934689", "-118.28341", ES, SOUTH_LA, date(2012, 7, 1), "expansion", 500),
    _s("93rd", "19647336018386", "Ninety-Third Street Elementary", 0, 6, "330 East 93rd Street", "90003",
       "33.951940", "-118.26868", ES, SOUTH_LA, date(2012, 7, 1), "expansion", 690),
    # Boyle Heights
    _s("roosevelt", "19647331937424", "Theodore Roosevelt Senior High", 9, 12, "2530 East 4th Street", "90033",
       "34.039470", "-118.20986", HS, BOYLE_HEIGHTS, date(2007, 12, 1), "vote", 1650),
    _s("mendez", "19647330119966", "Felicitas and Gonzalo Mendez High", 9, 12, "1200 Plaza Del Sol", "90033",
       "34.048813", "-118.22762", HS, BOYLE_HEIGHTS, date(2009, 9, 9), "expansion", 1000),
    _s("hollenbeck", "19647336058051", "Hollenbeck Middle", 6, 8, "2510 East Sixth Street", "90023",
       "34.036431", "-118.21153", MS, BOYLE_HEIGHTS, date(2007, 12, 1), "vote", 880),
    _s("stevenson", "19647336058317", "Robert Louis Stevenson College and Career Preparatory", 6, 8,
       "725 South Indiana Street", "90023", "34.026048", "-118.19237", MS, BOYLE_HEIGHTS, date(2007, 12, 1), "vote",
       940),
    _s("sunrise", "19647336104822", "Sunrise Elementary", 0, 6, "2821 East Seventh Street", "90023",
       "34.029688", "-118.21100", ES, BOYLE_HEIGHTS, date(2008, 4, 1), "vote", 430),
    # A school that left the network (demo dates): it keeps its record, history and past enrollment.
    _s("liechty", "19647330114199", "John H. Liechty Middle", 6, 8, "650 South Union Avenue", "90017",
       "34.055316", "-118.27011", MS, None, date(2008, 7, 1), "expansion", 760, left=date(2022, 6, 30)),
)

GRAPE_STREET = "grape"
PRINCIPAL2_SCHOOL = "roosevelt"
FORMER_SCHOOL = "liechty"


@dataclass(frozen=True)
class FeederSpec:
    name: str
    community: str
    description: str
    stages: tuple[tuple[str, ...], ...]  # stage 1, 2, 3 …: school keys


FEEDER_PATTERNS: tuple[FeederSpec, ...] = (
    FeederSpec(
        "Jordan family (Watts)", WATTS,
        "Grape Street → Markham → Jordan is confirmed in the source documents (it is why Grape Street joined); "
        "the other elementary feeders are plausible demo links.",
        (("grape", "99th", "joyner", "ritter"), ("markham",), ("jordan",)),
    ),
    FeederSpec(
        "Roosevelt family (Boyle Heights)", BOYLE_HEIGHTS,
        "Sunrise → Hollenbeck → Roosevelt: a likely pattern (uncertain in the sources; demo).",
        (("sunrise",), ("hollenbeck",), ("roosevelt",)),
    ),
    FeederSpec(
        "Mendez family (Boyle Heights)", BOYLE_HEIGHTS,
        "Sunrise → Stevenson → Mendez: a likely pattern (uncertain in the sources; demo).",
        (("sunrise",), ("stevenson",), ("mendez",)),
    ),
    FeederSpec(
        "Santee family (South LA)", SOUTH_LA,
        "Dolores Huerta and 20th Street → Carver → Santee: plausible demo links.",
        (("huerta", "20th"), ("carver",), ("santee",)),
    ),
    FeederSpec(
        "Gompers family (South LA)", SOUTH_LA,
        "107th Street, 93rd Street and Figueroa Street → Gompers: plausible demo links.",
        (("107th", "93rd", "figueroa"), ("gompers",)),
    ),
)

# Senior directors' grade-level cohorts (4–5 principals each). The first is the `director` login's.
COHORTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Elementary, Watts", ("grape", "99th", "107th", "joyner", "ritter")),
    ("Elementary, South LA and Boyle Heights", ("huerta", "20th", "figueroa", "93rd", "sunrise")),
    ("Middle schools", ("markham", "gompers", "carver", "hollenbeck", "stevenson")),
    ("High schools", ("jordan", "santee", "roosevelt", "mendez")),
)
