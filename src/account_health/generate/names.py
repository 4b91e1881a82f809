"""Fake but plausible names: companies, people, titles. Drawn from the explicit generator, never from Faker,
so the output depends only on the seed."""

from __future__ import annotations

import re

import numpy as np

COMPANY_WORDS_A = (
    "Blue", "North", "Silver", "Bright", "Iron", "Summit", "Cedar", "Harbor", "Granite", "Maple", "Atlas",
    "Pioneer", "Vertex", "Golden", "Red", "Crescent", "Evergreen", "Falcon", "Prairie", "Coastal", "Keystone",
    "Lakeside", "Meridian", "Orion", "Quantum", "Riverside", "Sterling", "Trident", "Union", "Westfield",
)  # fmt: skip
COMPANY_WORDS_B = (
    "Logistics", "Health", "Foods", "Energy", "Labs", "Systems", "Capital", "Retail", "Works", "Partners",
    "Manufacturing", "Analytics", "Networks", "Dynamics", "Holdings", "Services", "Solutions", "Freight",
    "Pharma", "Robotics", "Textiles", "Media", "Insurance", "Builders", "Outfitters",
)  # fmt: skip
COMPANY_SUFFIXES = ("Inc", "LLC", "Group", "Co", "Ltd", "GmbH", "SA", "Corp")
FIRST_NAMES = (
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Lucas", "Sofia", "Mateo", "Mia", "Elijah", "Amelia", "James",
    "Harper", "Benjamin", "Aisha", "Hiroshi", "Priya", "Wei", "Fatima", "Carlos", "Ingrid", "Kwame", "Yuki",
    "Omar", "Elena", "Jonas", "Chloe", "Ravi", "Zoe", "Daniel", "Lena", "Marco", "Nadia", "Tomasz", "Grace",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Johnson", "Garcia", "Müller", "Nguyen", "Patel", "Kim", "Rossi", "Silva", "Okafor", "Novak",
    "Andersson", "Dubois", "Tanaka", "Kowalski", "Brown", "Martin", "Lopez", "Chen", "Haddad", "O'Brien",
    "Jensen", "Fischer", "Moreau", "Costa", "Ibrahim", "Schmidt", "Walker", "Singh", "Yamamoto",
)  # fmt: skip
# (title, department, persona a human would have recorded); mixes every persona rule, incl. none matching
TITLES = (
    ("Chief Financial Officer", "Finance", "economic_buyer"),
    ("Procurement Manager", "Procurement", "economic_buyer"),
    ("Finance Director", "Finance", "economic_buyer"),
    ("Chief Operating Officer", "Operations", "executive_sponsor"),
    ("VP of Operations", "Operations", "executive_sponsor"),
    ("CIO", "IT", "executive_sponsor"),
    ("Vice President, Sales", "Sales", "executive_sponsor"),
    ("IT Administrator", "IT", "admin"),
    ("Systems Engineer", "IT", "admin"),
    ("Platform Owner", "IT", "admin"),
    ("Director of Customer Success", "Customer Success", "champion"),
    ("Head of Analytics", "Analytics", "champion"),
    ("Operations Manager", "Operations", "champion"),
    ("Team Lead, Support", "Support", "champion"),
    ("Sales Representative", "Sales", "end_user"),
    ("Data Analyst", "Analytics", "end_user"),
    ("Field Technician", "Operations", "end_user"),
    ("Account Executive", "Sales", "end_user"),
    ("Coordinator", "Operations", "end_user"),
    ("Engineer", "Engineering", "end_user"),
)
# users of the product are mostly individual contributors: weights for the TITLES above
TITLE_WEIGHTS = np.array([1, 1, 1, 1, 2, 1, 1, 2, 2, 1, 2, 2, 3, 3, 6, 6, 4, 4, 4, 5], dtype=float)
INDUSTRIES = ("manufacturing", "healthcare", "retail", "financial_services", "logistics", "technology",
              "energy", "public_sector")  # fmt: skip
REGIONS = ("north_america", "emea", "apac", "latam")
REGION_WEIGHTS = np.array([0.45, 0.33, 0.15, 0.07])
CSM_NAMES = ("Dana Whitfield", "Marcus Lee", "Sara Kowalczyk", "Tom Reyes", "Ines Duarte", "Kenji Sato",
             "Abby Morgan", "Ravi Menon")  # fmt: skip
COMPETITORS = ("Competitor A", "Competitor B", "Competitor C", "Homegrown")


def pick(
    rng: np.random.Generator, values: tuple[str, ...], n: int, p: np.ndarray | None = None
) -> np.ndarray:
    """n draws from `values` as an object array (p need not be normalised)."""
    weights = None if p is None else p / p.sum()
    return np.asarray(values, dtype=object)[rng.choice(len(values), size=n, p=weights)]


def company_names(rng: np.random.Generator, n: int) -> list[str]:
    """Unique company names: a numeral is appended on the rare collision so names stay distinct."""
    first = pick(rng, COMPANY_WORDS_A, n)
    second = pick(rng, COMPANY_WORDS_B, n)
    suffix = pick(rng, COMPANY_SUFFIXES, n)
    seen: dict[str, int] = {}
    names = []
    for a, b, c in zip(first, second, suffix, strict=True):
        base = f"{a} {b}"
        seen[base] = seen.get(base, 0) + 1
        names.append(f"{base} {c}" if seen[base] == 1 else f"{base} {seen[base]} {c}")
    return names


def domain_of(company: str) -> str:
    words = re.sub(r"[^a-z0-9 ]", "", company.lower()).split()
    return "".join(words[:-1] or words) + ".example.com"


def email_local(first: str, last: str) -> str:
    def clean(word: str) -> str:
        return re.sub(r"[^a-z]", "", word.lower().replace("ü", "u"))

    return f"{clean(first)}.{clean(last)}"
