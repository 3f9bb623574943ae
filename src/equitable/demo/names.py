"""Fictional names for demo people: a fixed list of first names and one of last names, combined
deterministically. The list lengths are coprime, so person n gets (FIRST[n % F], LAST[n % L]) and
the first F×L people all have different full names (Chinese remainder theorem)."""

from __future__ import annotations

import unicodedata

FIRST_NAMES: tuple[str, ...] = (
    "Adriana", "Marcus", "Lucía", "Darnell", "Yesenia", "Kenji", "Brianna", "Ernesto", "Tamika", "Rafael",
    "Imani", "Héctor", "Sofía", "Jamal", "Guadalupe", "Trevor", "Marisol", "Andre", "Esperanza", "Devon",
    "Noemí", "Terrence", "Carmen", "Malik", "Rosa", "Julian", "Aaliyah", "Osvaldo", "Keisha", "Mateo",
    "Nadia", "Curtis", "Paloma", "Desmond", "Leticia", "Samuel", "Ximena", "Reginald", "Beatriz", "Tomás",
    "Monique",
)  # 41 names

LAST_NAMES: tuple[str, ...] = (
    "Alvarado", "Brooks", "Castañeda", "Dawson", "Estrada", "Fletcher", "Gutiérrez", "Harmon", "Ibarra",
    "Jennings", "Kimura", "Lozano", "Mitchell", "Navarro", "Okafor", "Pineda", "Quintero", "Robinson",
    "Salazar", "Tran", "Urquidi", "Vance", "Whitfield", "Xiong", "Yáñez", "Zamora", "Bautista", "Coleman",
    "Delgado", "Franklin", "Galindo", "Holloway", "Orozco", "Pruitt", "Rosales", "Sandoval", "Tolbert",
    "Villanueva", "Webb", "Cervantes",
)  # 40 names

def fictional_name(n: int) -> tuple[str, str]:
    """The n-th fictional (first, last) name; distinct for 0 <= n < 1,640."""
    return FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[n % len(LAST_NAMES)]


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def demo_email(first: str, last: str, domain: str = "demo.equitable.example") -> str:
    """A demo address under a reserved .example domain: mail to it can never reach a real person."""
    return f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}"
