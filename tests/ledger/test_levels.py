"""Governments below the country: places read from the text, heads and bodies of a state or
district as one source, and a bare 'the state government' in the ledger that has only one."""

from __future__ import annotations

from sqlalchemy import select

from claimledger.analysis.schema import Document
from claimledger.ledger.book import Ledger
from claimledger.ledger.identity import AliasFile, DocumentContext, identify
from claimledger.ledger.levels import read_places
from claimledger.ledger.models import SourceRow
from claimledger.ledger.store import open_engine, sessions

NONE = AliasFile({})
STORY = ("MIRVADA, India - A blast at a plant in Kantha district of the western Indian state of Gujarat "
         "killed 11 workers. Gujarat Chief Minister Anjali Trivedi visited the site.")


def test_places_are_read_per_level_without_countries_or_function_words():
    assert read_places(STORY) == {"district": "Kantha", "state": "Gujarat"}
    assert read_places("Rescuers in Peru's Arequipa region and the Arequipa regional governor") == {"region": "Arequipa"}
    assert read_places("The Indian state said nothing.") == {}


def test_a_head_of_government_speaks_for_the_state_and_the_district():
    context = DocumentContext.read("d1", STORY)
    head = identify("Gujarat Chief Minister Anjali Trivedi", "Anjali Trivedi", "person", context, NONE)
    assert head.key == "name:gujarat state government" and head.kind == "government"
    assert head.parent is not None and head.parent.key == "gov:india"
    for mention in ("Trivedi", "the chief minister", "The chief minister's office", "The state government",
                    "the Gujarat government"):
        assert identify(mention, None, "unknown", context, NONE).key == head.key, mention
    collector = identify("District Collector Vikram Solanki", None, "organisation", context, NONE)
    assert collector.key == "name:kantha district administration"
    assert identify("the district administration", None, "government", context, NONE).key == collector.key
    assert identify("the collector, Vikram Solanki,", "collector", "unknown", context, NONE).key == collector.key
    assert identify("the central bank governor", None, "official", context, NONE).key != head.key
    assert identify("Kantha district police", None, "government", context, NONE).key != collector.key


def test_a_head_of_an_unknown_place_stays_a_person():
    context = DocumentContext.read("d2", "Governor Helena Vasconcelos said the dam had failed.")
    assert identify("Governor Helena Vasconcelos", "Helena Vasconcelos", "person", context, NONE).key == "person:helena vasconcelos"


def _source_names(engine) -> set[str]:
    with sessions(engine)() as session:
        return set(session.scalars(select(SourceRow.name)))


def test_a_bare_state_government_joins_the_only_one_the_ledger_knows(analyzer, tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    book = Ledger(engine)
    first = Document(text=STORY + " The state government said 9,000 people had been evacuated.", url="https://a.example/1")
    later = Document(text="The state government said on Friday that 9,600 people had been evacuated.", url="https://a.example/2")
    for document in (first, later):
        book.add(document, analyzer.analyze(document))
    names = _source_names(engine)
    assert "Gujarat state government" in names and "state government" not in names
    # with two state governments known, a bare one is no longer either of them
    other = Document(text="Minas Gerais Governor Helena Vasconcelos said the state of Minas Gerais would help.", url="https://b.example/1")
    bare = Document(text="The state government said on Monday that roads had reopened.", url="https://a.example/3")
    for document in (other, bare):
        book.add(document, analyzer.analyze(document))
    assert {"Minas Gerais state government", "state government"} <= _source_names(engine)


def test_an_officer_of_a_level_speaks_for_the_office_even_before_the_name_is_read():
    text = ("MIRVADA, India - More than 70 people were treated, she said, in Kantha district. "
            "Chief District Health Officer Dr Kavita Joshi said 118 had been treated.")
    context = DocumentContext.read("g1", text)
    office = identify("she", "Kavita Joshi", "person", context, NONE)  # resolved by the analysis before the full name
    assert office.key == "name:kantha district health office"
    assert identify("The district health office", None, "government", context, NONE).key == office.key
    assert identify("Dr Joshi", "Joshi", "person", context, NONE).key == office.key


def test_an_unresolved_pronoun_is_the_person_named_last():
    context = DocumentContext.read("g1", STORY)
    collector = identify("District Collector Vikram Solanki", None, "organisation", context, NONE)
    assert identify("he", None, "person", context, NONE).key == collector.key
    assert identify("he", None, "person", DocumentContext("other"), NONE).key != collector.key


def test_the_regions_governor_is_the_regional_government():
    context = DocumentContext.read("f1", "The fire in the Quelhue region spread. Regional Governor Marcela Antinao said 9 died.")
    governor = identify("Regional Governor Marcela Antinao", "Marcela Antinao", "person", context, NONE)
    assert governor.key == "name:quelhue regional government"
    assert identify("the region's governor", None, "official", context, NONE).key == governor.key


def test_a_body_named_in_another_article_is_found_by_its_plain_words(analyzer, tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    book = Ledger(engine)
    named = Document(text="The Philippine Coast Guard said 12 people had died.", url="https://a.example/1")
    plain = Document(text="The coast guard said on Friday that 31 people had died.", url="https://a.example/2")
    vague = Document(text="A coast guard said on Friday that 2 boats had sunk.", url="https://a.example/3")
    for document in (named, plain, vague):
        book.add(document, analyzer.analyze(document))
    from claimledger.export.ledger import ledger_dict

    data = ledger_dict(engine)
    by_text = {claim["source_text"]: claim["source_id"] for claim in data["claims"] if claim["source_text"]}
    assert by_text["The coast guard"] == by_text["The Philippine Coast Guard"]  # the one named
    assert by_text["A coast guard"] != by_text["The Philippine Coast Guard"]  # "a": some coast guard


def test_a_regions_president_mayor_and_departments():
    text = "The heat in the region of Almadera worsened. Sotoverde mayor Alberto Pizarro opened shelters."
    context = DocumentContext.read("p2", text)
    assert context.places == {"region": "Almadera", "city": "Sotoverde"}
    president = identify("Almadera's regional president, Tomás Baquero,", "Tomás Baquero", "person", context, NONE)
    assert president.key == "name:almadera regional government"
    assert identify("the regional president", None, "official", context, NONE).key == president.key
    assert identify("A spokesman for the Almadera regional government", None, "official", context, NONE).key == president.key
    assert identify("President Joe Biden", "Joe Biden", "person", context, NONE).key == "person:joe biden"
    mayor = identify("Sotoverde mayor Alberto Pizarro", "Alberto Pizarro", "person", context, NONE)
    assert mayor.key == "name:sotoverde city council"
    assert identify("The city council", None, "government", context, NONE).key == mayor.key
    department = identify("the Almadera Health Department", None, "government", context, NONE)
    assert department.key == "name:almadera health department"  # the region's, not the country's ministry
    for mention in ("The regional health department", "regional health chief Inés Carbajo"):
        assert identify(mention, None, "unknown", context, NONE).key == department.key, mention


def _names_after(analyzer, tmp_path, *texts: str) -> set[str]:
    """The source names of a fresh ledger after the texts, in order."""
    engine = open_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    book = Ledger(engine)
    for number, text in enumerate(texts):
        document = Document(text=text, url=f"https://c.example/{number}")
        book.add(document, analyzer.analyze(document))
    return _source_names(engine)


def test_a_bare_provincial_government_joins_the_only_first_level_government(analyzer, tmp_path):
    # the governor's level is the document's default (a state); the other text calls it a province
    names = _names_after(analyzer, tmp_path, "JAKARTA - West Java Governor Dedi Kartawijaya said 400 homes were damaged.",
                         "The provincial government said on Friday that 450 homes were damaged.")
    assert "provincial government" not in names and any(name.startswith("West Java") for name in names)


def test_a_bare_police_joins_the_one_police_force_the_ledger_knows(analyzer, tmp_path):
    names = _names_after(analyzer, tmp_path, "KAMPALA - The Uganda Police Force said four people had been arrested.",
                         "Police said on Friday that nine people had been arrested.")
    assert "Uganda Police Force" in names and not {"Police", "police"} & names
