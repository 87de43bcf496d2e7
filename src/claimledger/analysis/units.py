"""Units of measure and currencies: surface forms and their normalised names.

Normalised names follow NewsQuant's vocabulary (`percentage`, `dollar`, `kilometre`,
`mile per hour`, `year of age`, ...) so that figures from different articles compare. Counted
nouns ("soldiers", "eligible pensioners") are not here: the quantity layer takes their lemmas.
"""

from __future__ import annotations

# Currency written before a figure: symbol or code (case as written for the symbols).
CURRENCY_PREFIXES = {
    "$": "dollar", "us$": "dollar", "usd": "dollar", "us $": "dollar",
    "c$": "canadian dollar", "c $": "canadian dollar", "cad": "canadian dollar",
    "a$": "australian dollar", "a $": "australian dollar", "aud": "australian dollar",
    "nz$": "new zealand dollar", "hk$": "hong kong dollar", "s$": "singapore dollar",
    "€": "euro", "eur": "euro", "£": "pound sterling", "gbp": "pound sterling",
    "¥": "japanese yen", "jpy": "japanese yen", "cny": "chinese yuan", "rmb": "chinese yuan",
    "₹": "indian rupee", "inr": "indian rupee", "rs": "indian rupee", "rs.": "indian rupee",
    "₽": "russian ruble", "rub": "russian ruble", "₴": "ukrainian hryvnia", "uah": "ukrainian hryvnia",
    "chf": "swiss franc",
}

# Unit words and abbreviations written after a figure. Keys are lower case unless the case
# carries meaning (m is metre, M after a currency is million; see CASE_SENSITIVE).
UNITS = {
    "%": "percentage", "percent": "percentage", "per cent": "percentage", "pc": "percentage",
    "percentage points": "percentage point", "percentage point": "percentage point",
    "basis points": "basis point", "bps": "basis point",
    "dollars": "dollar", "dollar": "dollar", "euros": "euro", "euro": "euro",
    "pounds sterling": "pound sterling", "sterling": "pound sterling",
    "yen": "japanese yen", "yuan": "chinese yuan", "renminbi": "chinese yuan",
    "rupees": "indian rupee", "roubles": "russian ruble", "rubles": "russian ruble",
    "hryvnias": "ukrainian hryvnia", "danish crowns": "danish krone", "danish kroner": "danish krone",
    "swedish crowns": "swedish krona", "norwegian crowns": "norwegian krone", "crowns": "krone",
    "kroner": "krone", "francs": "franc",
    "soles": "peruvian sol", "rupiah": "indonesian rupiah", "pesos": "peso", "naira": "nigerian naira",
    "reais": "brazilian real", "lei": "romanian leu", "taka": "bangladeshi taka", "shillings": "shilling",
    "km/h": "kilometre per hour", "kph": "kilometre per hour", "mph": "mile per hour",
    "miles per hour": "mile per hour", "kilometres per hour": "kilometre per hour",
    "kilometers per hour": "kilometre per hour", "mpg": "mile per gallon",
    "km": "kilometre", "kilometres": "kilometre", "kilometers": "kilometre", "kilometre": "kilometre",
    "kilometer": "kilometre", "miles": "mile", "mile": "mile", "metres": "metre", "meters": "metre",
    "metre": "metre", "meter": "metre", "m": "metre", "cm": "centimetre", "mm": "millimetre",
    "feet": "foot", "foot": "foot", "ft": "foot", "inches": "inch", "inch": "inch",
    "yards": "yard", "yard": "yard", "m2": "square metre", "km2": "square kilometre",
    "sq km": "square kilometre", "square kilometres": "square kilometre",
    "square kilometers": "square kilometre", "square miles": "square mile", "square metres": "square metre",
    "square meters": "square metre", "square feet": "square foot", "sq ft": "square foot",
    "hectares": "hectare", "acres": "acre",
    "kg": "kilogram", "kilograms": "kilogram", "kilogrammes": "kilogram", "g": "gram", "grams": "gram",
    "tonnes": "tonne", "tons": "ton", "lb": "pound-mass", "lbs": "pound-mass", "pound": "pound-mass",
    "pounds": "pound-mass", "ounces": "ounce", "oz": "ounce",
    "litres": "litre", "liters": "litre", "litre": "litre", "liter": "litre", "l": "litre",
    "ml": "millilitre", "millilitres": "millilitre", "gallons": "gallon", "barrels": "barrel", "barrel": "barrel",
    "bbl": "barrel",
    "hp": "horsepower", "horsepower": "horsepower", "ps": "horsepower", "bhp": "horsepower",
    "kw": "kilowatt", "mw": "megawatt", "gw": "gigawatt", "kwh": "kilowatt hour", "mwh": "megawatt hour",
    "gwh": "gigawatt hour", "nm": "newton metre", "lb-ft": "foot pound-force",
    "gb": "gigabyte", "mb": "megabyte", "tb": "terabyte", "kb": "kilobyte",
    "hz": "hertz", "khz": "kilohertz", "mhz": "megahertz", "ghz": "gigahertz",
    "kv/cm": "kilovolt per centimetre", "a/cm2": "ampere per square centimetre", "v": "volt", "kv": "kilovolt",
    "degrees celsius": "celsius", "degrees fahrenheit": "fahrenheit", "°c": "celsius", "°f": "fahrenheit",
    "celsius": "celsius", "fahrenheit": "fahrenheit", "degrees": "degree", "degree": "degree", "°": "degree",
    "seconds": "second", "second": "second", "minutes": "minute", "minute": "minute", "hours": "hour",
    "hour": "hour", "days": "day", "day": "day", "weeks": "week", "week": "week", "months": "month",
    "month": "month", "years": "year", "year": "year", "decades": "decade", "decade": "decade",
    "year-old": "year of age", "years-old": "year of age", "years old": "year of age",
    "year old": "year of age",
    "cylinders": "cylinder", "cylinder": "cylinder",
}
CASE_SENSITIVE = {"m", "M", "l", "L", "g", "V"}

# Measures of time; used to tell durations ("three months") from dates ("in March").
TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade"}

SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "k": 1e3, "mn": 1e6, "mln": 1e6, "m": 1e6, "bn": 1e9, "b": 1e9, "bln": 1e9, "tn": 1e12, "trn": 1e12,
}
# Abbreviated scales that only mean a multiplier when a currency is present ("$3m", not "3m").
CURRENCY_ONLY_SCALES = {"m", "b", "k"}


def normalise_unit(surface: str) -> str | None:
    """The normalised name of a unit written as `surface`, or None when it is not a known unit."""
    key = " ".join(surface.split())
    if key in CASE_SENSITIVE:
        return UNITS.get(key.lower()) if key.islower() or key == "L" else None
    return UNITS.get(key.lower())


# words that make a count one of a stretch of time, not a running total ("150 new cases this week")
FLOW_WORDS = ("new", "daily", "weekly", "additional", "fresh")
