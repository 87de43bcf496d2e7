"""Countries as speakers: the names, adjectives, capitals and seats that stand for a government.

"The Kremlin" and "Moscow" say things on behalf of the Russian government, "Ankara" for the Turkish
one, "Downing Street" for the British. Each row: country, adjectives (Russian, Russia's), and the
metonyms that name its government. Users extend or override this with an alias file.
"""

from __future__ import annotations

# country: (adjectives, metonyms for its government)
COUNTRIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Russia": (("russian",), ("kremlin", "moscow")),
    "Ukraine": (("ukrainian",), ("kyiv", "kiev")),
    "United States": (("us", "u.s.", "american", "united states"), ("white house", "washington")),
    "United Kingdom": (("uk", "u.k.", "british"), ("downing street", "number 10", "whitehall", "london")),
    "France": (("french",), ("elysee", "élysée", "paris")),
    "Germany": (("german",), ("berlin",)),
    "China": (("chinese",), ("beijing", "zhongnanhai")),
    "Japan": (("japanese",), ("tokyo",)),
    "India": (("indian",), ("new delhi",)),
    "Pakistan": (("pakistani",), ("islamabad",)),
    "Iran": (("iranian",), ("tehran",)),
    "Iraq": (("iraqi",), ("baghdad",)),
    "Israel": (("israeli",), ("jerusalem",)),
    "Syria": (("syrian",), ("damascus",)),
    "Turkey": (("turkish", "turkiye's", "türkiye"), ("ankara",)),
    "Egypt": (("egyptian",), ("cairo",)),
    "Saudi Arabia": (("saudi",), ("riyadh",)),
    "Italy": (("italian",), ("rome",)),
    "Spain": (("spanish",), ("madrid",)),
    "Poland": (("polish",), ("warsaw",)),
    "Belarus": (("belarusian",), ("minsk",)),
    "Georgia": (("georgian",), ("tbilisi",)),
    "Canada": (("canadian",), ("ottawa",)),
    "Mexico": (("mexican",), ("mexico city",)),
    "Brazil": (("brazilian",), ("brasilia", "brasília")),
    "Argentina": (("argentine", "argentinian"), ("buenos aires",)),
    "Australia": (("australian",), ("canberra",)),
    "South Korea": (("south korean",), ("seoul",)),
    "North Korea": (("north korean",), ("pyongyang",)),
    "Taiwan": (("taiwanese",), ("taipei",)),
    "Indonesia": (("indonesian",), ("jakarta",)),
    "Philippines": (("philippine", "filipino"), ("manila", "malacañang", "malacanang")),
    "Nigeria": (("nigerian",), ("abuja",)),
    "Ethiopia": (("ethiopian",), ("addis ababa",)),
    "Kenya": (("kenyan",), ("nairobi",)),
    "South Africa": (("south african",), ("pretoria",)),
    "Morocco": (("moroccan",), ("rabat",)),
    "Afghanistan": (("afghan",), ("kabul",)),
    "Greece": (("greek",), ("athens",)),
    "Sweden": (("swedish",), ("stockholm",)),
    "Norway": (("norwegian",), ("oslo",)),
    "Finland": (("finnish",), ("helsinki",)),
    "Netherlands": (("dutch",), ("the hague",)),
    "Hungary": (("hungarian",), ("budapest",)),
    "Romania": (("romanian",), ("bucharest",)),
    "Serbia": (("serbian",), ("belgrade",)),
    "Lebanon": (("lebanese",), ("beirut",)),
    "Yemen": (("yemeni",), ("sanaa",)),
    "Libya": (("libyan",), ("tripoli",)),
    "Sudan": (("sudanese",), ("khartoum",)),
    "Venezuela": (("venezuelan",), ("caracas",)),
    "Chile": (("chilean",), ("santiago",)),
    "Colombia": (("colombian",), ("bogota", "bogotá")),
    "Peru": (("peruvian",), ("lima",)),
    "Bangladesh": (("bangladeshi",), ("dhaka",)),
    "Nepal": (("nepali", "nepalese"), ("kathmandu",)),
    "Vietnam": (("vietnamese",), ("hanoi",)),
    "Thailand": (("thai",), ("bangkok",)),
    "Myanmar": (("myanmar",), ("naypyitaw", "naypyidaw")),
}

GOVERNMENT_WORDS = ("government", "authorities", "administration", "cabinet", "officials")


def _index() -> tuple[dict[str, str], dict[str, str]]:
    metonyms: dict[str, str] = {}
    adjectives: dict[str, str] = {}
    for country, (adjs, seats) in COUNTRIES.items():
        metonyms[country.lower()] = country
        for seat in seats:
            metonyms[seat] = country
        adjectives[country.lower()] = country
        adjectives[country.lower() + "'s"] = country
        for adjective in adjs:
            adjectives[adjective] = country
    return metonyms, adjectives


METONYMS, ADJECTIVES = _index()


def government_name(country: str) -> str:
    adjective = COUNTRIES[country][0][0]
    if adjective in ("us", "uk"):
        return f"{adjective.upper()} government"
    return f"{adjective.title()} government"
