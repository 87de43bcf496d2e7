"""Which source a mention names: aliases, ministers and ministries, metonyms, anonymous scoping, alias files."""

from __future__ import annotations

import pytest

from claimledger.ledger.identity import AliasFile, DocumentContext, dominant_country, identify

NONE = AliasFile({})


def key(text, kind="unknown", canonical=None, context=None, aliases=NONE):
    return identify(text, canonical, kind, context or DocumentContext("doc1", country="Russia"), aliases).key


def test_minister_ministry_and_surname_share_one_identity():
    context = DocumentContext("doc1", country="Russia")
    minister = identify("Russian Defence Minister Sergei Shoigu", "Sergei Shoigu", "person", context, NONE)
    assert minister.key == "ministry:russia:defence" and minister.name == "Russian Defence Ministry"
    assert {"sergei shoigu", "shoigu"} <= set(minister.aliases)
    assert minister.parent is not None and minister.parent.key == "gov:russia"
    assert key("Russia's Defence Ministry", "government") == minister.key
    assert identify("Shoigu", None, "person", context, NONE).key == minister.key
    assert identify("the ministry", None, "government", context, NONE).key == minister.key


@pytest.mark.parametrize("mention", ["the Kremlin", "Moscow", "the Russian government", "Russian authorities"])
def test_seats_and_capitals_name_the_government(mention):
    assert key(mention) == "gov:russia"


def test_unqualified_ministry_takes_the_document_country():
    assert key("the Health Ministry", context=DocumentContext("d", country="Peru")) == "ministry:peru:health"
    assert key("the Health Ministry", context=DocumentContext("d", country="Peru")) != key("the Interior Ministry", context=DocumentContext("d", country="Peru"))


def test_anonymous_and_vague_groups_stay_in_their_document():
    assert key("Sources", "anonymous", context=DocumentContext("a")) != key("Sources", "anonymous", context=DocumentContext("b"))
    assert key("some analysts", "expert", context=DocumentContext("a")) != key("some analysts", "expert", context=DocumentContext("b"))
    assert key("two traders familiar with the talks", "organisation", context=DocumentContext("a")).startswith("group:")
    assert key("the union", "organisation", context=DocumentContext("a")) != key("the union", "organisation", context=DocumentContext("b"))


def test_named_organisations_are_global_with_acronym_aliases():
    found = identify("the UN Office for the Coordination of Humanitarian Affairs (OCHA)", None, "organisation", DocumentContext("a"), NONE)
    assert found.key == "name:un office for the coordination of humanitarian affairs"
    assert "ocha" in found.aliases
    assert key("Reuters", "media", context=DocumentContext("a")) == key("Reuters", "media", context=DocumentContext("b"))


def test_people_keep_their_name_without_titles():
    context = DocumentContext("a")
    found = identify("President Vladimir Putin", None, "person", context, NONE)
    assert found.key == "person:vladimir putin" and "putin" in found.aliases
    assert identify("Putin", None, "person", context, NONE).key == found.key


def test_a_spokesperson_speaks_for_the_organisation():
    found = identify("Kremlin spokesman Dmitry Peskov", None, "person", DocumentContext("a"), NONE)
    assert found.key == "gov:russia" and {"dmitry peskov", "peskov"} <= set(found.aliases)
    red_cross = identify("Red Cross spokeswoman Ana Ruiz", None, "person", DocumentContext("a"), NONE)
    assert red_cross.key == "name:red cross"


def test_a_role_word_finds_the_person_named_with_it_earlier():
    context = DocumentContext("a")
    governor = identify("regional governor Rosa Huamaní", "Rosa Huamaní", "person", context, NONE)
    assert identify("the governor", None, "official", context, NONE).key == governor.key
    assert identify("the governor", None, "official", DocumentContext("b"), NONE).key != governor.key


def test_alias_file_overrides_every_rule(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text("Russian government:\n  kind: government\n  aliases: [Putin's office]\n"
                    "Wagner Group:\n  kind: organisation\n  parent: Russian government\n  aliases: [Wagner, PMC Wagner]\n")
    aliases = AliasFile.load(path)
    wagner = identify("PMC Wagner", None, "organisation", DocumentContext("a"), aliases)
    assert wagner.key == "user:wagner group" and wagner.parent.key == "user:russian government"


@pytest.mark.parametrize("content, words", [("[1, 2", "not valid YAML"), ("- a\n- b\n", "mapping")])
def test_bad_alias_files_get_clear_errors(tmp_path, content, words):
    path = tmp_path / "aliases.yaml"
    path.write_text(content)
    with pytest.raises(ValueError, match=words):
        AliasFile.load(path)


def test_dominant_country_prefers_the_dateline():
    assert dominant_country("LIMA (Wire) - Chilean and Chilean rescuers arrived in Chile's ...") == "Peru"
    assert dominant_country("Rescuers from Chile joined teams in Lima, Peru and Lima.") == "Peru"
    assert dominant_country("Nothing here about a country, said us.") is None


def test_the_agency_is_the_organisation_just_named():
    context = DocumentContext("a")
    who = identify("the World Health Organization (WHO)", None, "organisation", context, NONE)
    assert identify("the UN health agency", None, "organisation", context, NONE).key == who.key
    assert identify("The agency", None, "organisation", context, NONE).key == who.key
    assert identify("the agency", None, "organisation", DocumentContext("b"), NONE).key.startswith("local:")


def test_the_federation_and_the_company_point_back_to_the_named_body():
    text = ("The mine's operator, Karsa Minerals, said it regretted the collapse. The International Federation of "
            "Mountain Rescue (IFMR) sent teams. The federation said more were needed. The company said it would pay.")
    context = DocumentContext.read("d1", text)
    federation = identify("The International Federation of Mountain Rescue (IFMR)", None, "organisation", context, NONE)
    assert identify("The federation", "federation", "organisation", context, NONE).key == federation.key
    company = identify("The company", "company", "unknown", context, NONE)
    assert company.key == identify("Karsa Minerals", None, "organisation", context, NONE).key == "name:karsa minerals"


def test_a_company_head_introduced_in_the_text_speaks_for_the_company():
    text = "Karsa Minerals chief executive Tomas Ruiz apologised on Monday. Ruiz said the pumps had failed."
    context = DocumentContext.read("d1", text)
    assert identify("Ruiz", "Ruiz", "person", context, NONE).key == "name:karsa minerals"
    assert identify("Tomas Ruiz", "Tomas Ruiz", "person", context, NONE).key == "name:karsa minerals"
    # a head of state is no organisation's spokesperson: "Chilean President" stays a person
    context = DocumentContext.read("d2", "Chilean President Marta Soto said on Monday the mine would close.")
    assert identify("Marta Soto", "Marta Soto", "person", context, NONE).key == "person:marta soto"


def test_an_unnamed_spokesman_is_his_organisation_and_the_place_in_front_is_dropped():
    context = DocumentContext("d1", country="Chile")
    assert key("The Civil Defence spokesman", "official", context=context) == "name:civil defence"
    regional = identify("the Atacama Civil Defence", None, "organisation", context, NONE)
    assert "name:civil defence" in regional.same_as and "civil defence" in regional.aliases
    level = identify("the regional Civil Defence", None, "organisation", context, NONE)
    assert "name:civil defence" in level.same_as
    assert key("The federal government", "government", context=context) == "gov:chile"


def test_a_department_the_text_capitalises_is_a_ministry():
    context = DocumentContext("d1", country="Chile")
    minister = identify("Mining and Energy Transition Minister Rosa Vidal", "Rosa Vidal", "person", context, NONE)
    assert minister.key == "ministry:chile:mining and energy transition"
    assert identify("The minister", "minister", "official", context, NONE).key == minister.key
    assert key("Prime Minister Rosa Vidal", "person", "Rosa Vidal", context=context).startswith("person:")


def test_a_capital_with_letters_beyond_ascii_names_its_country():
    assert dominant_country("The official said Brasília expected the company to pay.") == "Brazil"


def test_a_un_agency_described_after_its_name_is_that_agency():
    context = DocumentContext("d1", country="Chile")
    unicef = identify("UNICEF", None, "organisation", context, NONE)
    assert identify("the UN children's agency", None, "organisation", context, NONE).key == unicef.key



def test_a_definite_description_after_an_anonymous_source_is_that_source():
    context = DocumentContext("g5")
    first = identify("An engineer at the plant who spoke on condition of anonymity", "engineer at the plant", "unknown", context, NONE)
    assert first.key.startswith("anon:g5:")
    assert identify("the engineer", None, "unknown", context, NONE).key == first.key
    assert identify("the engineer", None, "unknown", DocumentContext("g6"), NONE).key != first.key


def test_a_person_introduced_with_a_role_of_a_body_speaks_for_it():
    text = ("The Mirvada Chemical Workers' Union called a strike. Farida Shaikh, general secretary of the Mirvada "
            "Chemical Workers' Union, said 300 people worked there. Ramesh Bariya, a machine operator who was "
            "on shift, said the alarm failed. Varun Agrochem said it would pay compensation.")
    context = DocumentContext.read("g3", text)
    assert "Ramesh Bariya" not in context.companies  # a person's job is no company
    union = identify("Farida Shaikh, general secretary of the Mirvada Chemical Workers' Union,", "Farida Shaikh", "person", context, NONE)
    assert union.key == "name:mirvada chemical workers' union"
    assert identify("union general secretary Farida Shaikh", "Farida Shaikh", "person", context, NONE).key == union.key
    assert identify("A workers' union in western India", None, "unknown", context, NONE).key == union.key
    company = identify("Varun Agrochem", None, "organisation", context, NONE)
    assert identify("a company spokesman", "company spokesman", "official", context, NONE).key == company.key
    assert identify("The company's managing director, Nitin Parikh,", "company's managing director", "official", context, NONE).key == company.key


def test_a_titled_name_without_a_recognised_name_is_the_person():
    context = DocumentContext("g7")
    assert key("Superintendent Harsh Vaghela", "organisation", context=context) == "person:harsh vaghela"
    assert key("Vaghela", "organisation", context=context) == "person:harsh vaghela"
    assert key("NDRF commandant Arjun Bhatia", "person", canonical="Arjun Bhatia", context=context) == "name:ndrf"


def test_an_organisation_name_leaves_its_apposition_and_its_board_is_the_named_board():
    text = ("Officials met in Khambhat. The Gujarat Pollution Control Board (GPCB), which monitors air quality, "
            "said levels were safe. Board chairman Dinesh Rathod said 3 km was evacuated.")
    context = DocumentContext.read("g9", text)
    assert context.bodies == ["The Gujarat Pollution Control Board"]  # not "Khambhat. The …"
    board = identify("The Gujarat Pollution Control Board (GPCB), which monitors air quality,", None, "organisation", context, NONE)
    assert board.key == "name:gujarat pollution control board" and "gpcb" in board.aliases
    assert identify("Board chairman Dinesh Rathod", "Dinesh Rathod", "person", context, NONE).key == board.key
    assert identify("Rathod", None, "unknown", context, NONE).key == board.key


def test_what_only_a_company_has_makes_a_company():
    context = DocumentContext.read("f8", "The company's chief executive, Ricardo Moura, said nine of Energia Tapera's employees died.")
    assert context.companies == ["Energia Tapera"]
    assert identify("The company's chief executive, Ricardo Moura,", None, "official", context, NONE).key == "name:energia tapera"


def test_people_introduced_after_their_name_speak_for_their_organisation():
    text = ("The National Forest Fire Service (SNIF) said the fire was spreading. The fire burned 14,000 hectares, said "
            "Héctor Nahuelpán, SNIF's director for the Quelhue region. Energía Austral, the utility that owns the line, "
            "said nothing. Andrés Kolbe, the company's chief executive, visited shelters. 'We listen,' Kolbe said. "
            "Claudia Riquelme, the group's director, said the plantations burned.")
    context = DocumentContext.read("f7", text)
    service = identify("the National Forest Fire Service (SNIF)", None, "organisation", context, NONE)
    assert identify("Héctor Nahuelpán, SNIF's director for the Quelhue region", "Héctor Nahuelpán", "person", context, NONE).key == "name:snif"
    assert "snif" in service.aliases
    assert identify("Kolbe", None, "person", context, NONE).key == "name:energía austral"
    assert identify("Riquelme", None, "person", context, NONE).key == "person:riquelme"  # no group is named: not the company


def test_a_head_whose_title_names_the_body_and_an_office_of_a_named_role():
    context = DocumentContext("f10", country="Chile")
    head = identify("Energy Superintendent Loreto Vidal", None, "unknown", context, NONE)
    body = identify("The National Energy Superintendency", None, "organisation", context, NONE)
    assert "energy superintendency" in set(head.aliases) & set(body.aliases)  # the ledger joins them by alias
    assert identify("Vidal", None, "unknown", context, NONE).key == head.key
    prosecutor = identify("Quelhue regional prosecutor Gonzalo Ferrada", "Gonzalo Ferrada", "person", context, NONE)
    assert identify("The regional prosecutor's office", None, "government", context, NONE).key == prosecutor.key
    fresh = DocumentContext("f6", country="Chile")
    identify("The National Civil Protection Office (ONPC)", None, "organisation", fresh, NONE)
    assert identify("The regional prosecutor's office", None, "government", fresh, NONE).key.startswith("local:")


def test_heads_spokespeople_and_short_names_of_named_bodies():
    text = ("In the Philippines, the Provincial Disaster Risk Reduction and Management Office (PDRRMO) counted the missing. The Department of "
            "Transportation (DOTr) grounded ferries, an order signed by Transportation Secretary Corazon Villanueva. "
            "The National Union of Inter-Island Seafarers called a strike. Golden Tide Shipping Lines said nothing.")
    context = DocumentContext.read("m4", text)
    office = identify("The Provincial Disaster Risk Reduction and Management Office (PDRRMO)", None, "organisation", context, NONE)
    assert identify("PDRRMO chief Lorna Abella", "Lorna Abella", "person", context, NONE).key == office.key
    ministry = identify("The Department of Transportation", None, "government", context, NONE)
    assert identify("the DOTr", None, "organisation", context, NONE).key == ministry.key
    assert identify("Villanueva", None, "person", context, NONE).key == ministry.key  # named outside any source mention
    assert identify("the secretary", None, "official", context, NONE).key != "person:villanueva"
    union = identify("union president Danilo Ocampo", "Danilo Ocampo", "person", context, NONE)
    assert union.key == "name:national union of inter-island seafarers"
    assert identify("a seafarers' union", None, "unknown", context, NONE).key == union.key
    company = identify("Golden Tide Shipping Lines", None, "organisation", context, NONE)
    assert "golden tide" in company.aliases  # "Golden Tide chief executive X" finds it in the ledger
    assert identify("the company", None, "unknown", context, NONE).key == company.key
    assert identify("Presidential spokesperson Joel Arcilla", "Joel Arcilla", "person", context, NONE).key == "gov:philippines"
    assert identify("Malacañang", None, "government", context, NONE).key == "gov:philippines"
    red_cross = identify("The Philippine Red Cross", None, "organisation", context, NONE)
    coordinator = identify("Red Cross relief coordinator Mylene Sarmiento", "Mylene Sarmiento", "person", context, NONE)
    assert coordinator.key == "name:red cross" and "red cross" in red_cross.aliases


def test_a_one_word_name_is_no_company_to_refer_to():
    context = DocumentContext("m9")
    identify("DOTr", None, "organisation", context, NONE)
    assert identify("the company", None, "unknown", context, NONE).key.startswith("local:")


def test_a_relative_named_in_apposition_is_that_person():
    context = DocumentContext("p5")
    assert key("Her son, Antonio Gil,", context=context) == "person:antonio gil"
    assert key("Gil", context=context) == "person:antonio gil"


def test_company_names_with_particles_and_what_points_back_to_them():
    text = ("The mine is operated by Carbones del Altiplano S.A., a medium-sized producer. "
            "The National Mining Agency (ANM), which runs the rescue stations, sent 80 rescuers. "
            "But the United Coal Miners' Union (Sumicar) disputed the count.")
    context = DocumentContext.read("c1", text)
    assert context.companies == ["Carbones del Altiplano S.A."]  # not "Altiplano", and no public agency
    company = identify("Carbones del Altiplano, which operates El Roble,", "Carbones del Altiplano", "person", context, NONE)
    assert company.key == "name:carbones del altiplano"  # a company NER took for a person
    assert identify("Its chief executive, Germán Castellanos,", "Its chief executive", "organisation", context, NONE).key == company.key
    assert identify("Castellanos", None, "person", context, NONE).key == company.key
    assert identify("The company", None, "unknown", context, NONE).key == company.key
    assert "carbones del altiplano" in identify("Carbones del Altiplano S.A.", None, "organisation", context, NONE).aliases
    union = identify("the United Coal Miners' Union (Sumicar", None, "organisation", context, NONE)  # cut inside its bracket
    assert union.key == "name:united coal miners' union" and "sumicar" in union.aliases
    assert identify("Sumicar", None, "organisation", context, NONE).key == union.key  # not "but the united …"


def test_coordinators_and_spokespeople_introduced_with_their_body():
    text = "The National Disaster Risk Management Unit (UNGRD) sent psychologists. The ANM said more."
    context = DocumentContext.read("c2", text)
    unit = identify("Diana Mesa, a spokeswoman for the National Disaster Risk Management Unit (UNGRD),", None, "person", context, NONE)
    assert unit.key == "name:national disaster risk management unit"
    assert identify("Mesa", None, "organisation", context, NONE).key == unit.key
    assert identify("The spokeswoman", None, "official", context, NONE).key == unit.key
    agency = identify("ANM rescue coordinator Wilson Pinzón", "Wilson Pinzón", "person", context, NONE)
    assert agency.key == "name:anm"
    assert identify("Pinzón", None, "unknown", context, NONE).key == agency.key


def test_names_beyond_ascii_are_read_as_names():
    context = DocumentContext("c3")
    union = identify("Édgar Tibaduiza, president of the United Coal Miners' Union", None, "person", context, NONE)
    assert union.key == "name:united coal miners' union"
    assert identify("Tibaduiza", None, "person", context, NONE).key == union.key


def test_what_is_read_across_a_sentence_end_and_between_two_ministers():
    text = ("Rescuers came from Sibiu and Craiova. The Federation of Railway Trade Unions (FSCF) called a strike. "
            "On Tuesday. Red Cross spokesman Paul Enache spoke. Transport Minister Sorin Vlădescu and Health "
            "Minister Ioana Bratu visited the site.")
    context = DocumentContext.read("r1", text)
    assert context.people["fscf"].key == "name:federation of railway trade unions"
    assert context.people["enache"].key == "name:red cross"
    assert context.people["bratu"].key.endswith(":health")
    assert {"gheorghe pană", "pană"} <= set(identify("FSCF president Gheorghe Pană", "Gheorghe Pană", "person", context, NONE).aliases)
    assert {"paul enache", "enache"} <= set(context.people["enache"].aliases)  # the ledger learns the name


def test_a_chief_executive_is_a_company_s_and_short_names_of_a_company():
    text = "The Federation of Railway Trade Unions (FSCF) blamed the operator. Its chief executive, Radu Stoenescu, declined."
    context = DocumentContext.read("r3", text)
    identify("The Federation of Railway Trade Unions (FSCF)", None, "organisation", context, NONE)
    assert identify("Its chief executive, Radu Stoenescu,", "Its chief executive", "unknown", context, NONE).key != \
        "name:federation of railway trade unions"
    company = DocumentContext.read("r4", "The train was operated by Carpat Rail Express SA, a private operator.")
    operator = identify("The company", None, "unknown", company, NONE)
    assert operator.key == "name:carpat rail express" and {"carpat rail", "carpat"} <= set(operator.aliases)
    national = DocumentContext.read("r5", "The line is run by National Rail Services Ltd, a state-owned operator.")
    assert "national" not in identify("the operator", None, "unknown", national, NONE).aliases


def test_ministries_named_longer_or_without_a_country_and_officers_named_of_their_body():
    context = DocumentContext("r6", country="Romania")
    longer = identify("Romania's Ministry of Transport and Infrastructure", None, "government", context, NONE)
    assert "ministry:romania:transport" in longer.same_as
    assert "ministry::health" in identify("the Health Ministry", None, "government", context, NONE).same_as
    police = identify("police spokeswoman Elena Rusu of the Vâlcea County Police", None, "person", context, NONE)
    assert police.key == "name:vâlcea county police" and "elena rusu" in police.aliases
    prefect = identify("Vâlcea prefect Adrian Lazăr", "Adrian Lazăr", "person", context, NONE)
    assert identify("The prefect", None, "unknown", context, NONE).key == prefect.key


def test_state_ministries_commissioners_federal_ministries_and_named_police():
    text = ("LAGOS - Lagos State Commissioner for Health Olumide Adewusi said 41 people were hurt in Lagos State. "
            "The Lagos State Police Command said 300 relatives had gathered. Rasheed Akanbi, president of the Lagos "
            "Association of Building Artisans (LABA), disputed the count. Outside, a group of relatives prayed.")
    context = DocumentContext.read("t1", text)
    state = identify("Lagos State Commissioner for Health Olumide Adewusi", None, "person", context, NONE)
    assert state.key == "name:lagos state ministry of health"
    for mention in ("Adewusi", "the commissioner", "The Lagos State Ministry of Health", "The state health ministry"):
        assert identify(mention, None, "government", context, NONE).key == state.key, mention
    assert identify("The police", None, "unknown", context, NONE).key == "name:lagos state police command"
    assert context.people["akanbi"].key == "name:lagos association of building artisans"
    assert context.companies == []  # "Outside, a group of relatives" is no company
    federal = DocumentContext("t2", country="Nigeria")
    ministry = identify("Minister of Housing and Urban Development Chidinma Ezeakor", None, "person", federal, NONE)
    assert ministry.key == "ministry:nigeria:housing and urban development" and "ezeakor" in ministry.aliases
    assert identify("The Federal Ministry of Housing and Urban Development", None, "government", federal, NONE).key == ministry.key
    assert "ministry:nigeria:housing" in ministry.same_as  # "Housing Minister X" elsewhere


def test_the_day_is_no_part_of_a_name_and_developers_are_companies():
    context = DocumentContext.read("t3", "The developer, Bellmount Properties Limited, declined to comment.")
    assert identify("The Lagos State Emergency Management Agency on Monday", None, "organisation", context, NONE).key == \
        "name:lagos state emergency management agency"
    assert identify("Governor Kayode Alabi Thursday", "Kayode Alabi Thursday", "person", context, NONE).key == "person:kayode alabi"
    company = identify("The developer", None, "unknown", context, NONE)
    assert company.key == "name:bellmount properties"
    director = identify("The managing director of Bellmount Properties Limited, Chukwudi Nnadozie,", None, "person", context, NONE)
    assert director.key == company.key
    assert identify("Nnadozie", None, "person", context, NONE).key == company.key


def test_a_country_s_body_described_by_purpose_and_legal_forms_before_the_name():
    text = ("LIMA - Peru's civil defence institute said 20 people died. The National Civil Defence Institute (INDECI) "
            "said roads were closed. PT Samudra Listrik Nusantara, the plant operator, said its dam was safe.")
    context = DocumentContext.read("t4", text)
    institute = identify("The National Civil Defence Institute (INDECI)", None, "organisation", context, NONE)
    assert identify("Peru's civil defence institute", None, "organisation", context, NONE).key == institute.key
    assert identify("Peru's civil defence agency", None, "organisation", context, NONE).key != institute.key  # no institute
    assert identify("Chile's civil defence institute", None, "organisation", context, NONE).key != institute.key
    company = identify("PT Samudra Listrik Nusantara", None, "organisation", context, NONE)
    assert company.key == "name:samudra listrik nusantara" and "samudra listrik" in company.aliases


def test_a_title_before_a_single_name_makes_a_person():
    context = DocumentContext("t6", country="Indonesia")
    assert identify("village head Sutrisno", None, "unknown", context, NONE).key == \
        identify("Sutrisno", None, "person", DocumentContext("t7", country="Indonesia"), NONE).key


def test_companies_by_their_legal_form_and_the_short_names_stories_give_them():
    text = ("LIMA - Oil leaked from a pipeline on Saturday, Petrolera Andina del Sur S.A. said. On Tuesday, the company "
            "said divers had reached the pipe. General manager Jorge Salas said the leak was stopped.")
    context = DocumentContext.read("t8", text)
    assert context.companies == ["Petrolera Andina del Sur S.A."]  # not "Tuesday"
    company = identify("Petrolera Andina del Sur S.A.", None, "organisation", context, NONE)
    assert "andina del sur" in company.aliases  # the story's "Andina del Sur"
    assert identify("General manager Jorge Salas", "Jorge Salas", "person", context, NONE).key == company.key
    assert identify("Salas", None, "person", context, NONE).key == company.key


def test_a_country_s_forces_a_hospital_s_head_and_a_named_ministry_with_its_acronym():
    context = DocumentContext.read("t9", "KAMPALA - At Mbale Regional Hospital, 40 people were admitted on Monday.")
    assert identify("The army", None, "organisation", DocumentContext("t10", country="Peru"), NONE).key == "name:peruvian army"
    superintendent = identify("the hospital's medical superintendent, Dr. Ann Nakato,", None, "person", context, NONE)
    assert superintendent.key == "name:mbale regional hospital"  # not "At Mbale …"
    assert identify("Nakato", None, "person", context, NONE).key == superintendent.key
    peru = DocumentContext("t11", country="Peru")
    assert identify("The Ministry of the Environment (Minam)", None, "government", peru, NONE).key == "ministry:peru:environment"
    assert identify("Serfor", None, "organisation", peru, NONE).key == "name:serfor"
    named = identify("The National Forest and Wildlife Service (Serfor)", "National Forest and Wildlife Service",
                     "organisation", peru, NONE)
    assert "serfor" in named.aliases  # the short name the canonical form dropped
    assert identify("Mbale District MP Moses Okello", None, "person", peru, NONE).key == "person:moses okello"


def test_bodies_named_by_what_they_call_themselves_and_by_who_heads_them():
    text = ("JOHANNESBURG - Imbali Cover Ltd said 48,000 records were exposed. The Kwena State Police Command said "
            "it was investigating. Halima Ocholi, the Red Cross branch secretary in Kwena State, said more.")
    context = DocumentContext.read("t12", text)
    company = identify("Imbali Cover Ltd", None, "organisation", context, NONE)
    assert identify("the Johannesburg-based insurer", None, "organisation", context, NONE).key == company.key
    gang = identify("A ransomware group calling itself DarkLedger", None, "organisation", context, NONE)
    assert gang.key == identify("the DarkLedger ransomware group", None, "organisation", context, NONE).key == "name:darkledger"
    heads = identify("Commissioner of Police Bala Waziri, who heads the Kwena State Police Command", None, "person", context, NONE)
    assert heads.key == "name:kwena state police command"
    assert identify("Halima Ocholi, the Red Cross branch secretary in Kwena State", None, "person", context, NONE).key == \
        "name:red cross"
    society = identify("The Nigerian Red Cross Society", None, "organisation", context, NONE)
    assert "red cross" in society.aliases
    assert identify("State police spokesman Ade Attah", None, "person", context, NONE).the_only == "police"


def claim_sources(engine) -> list[tuple[str, str]]:
    """(source text, name of the source it was given) for every claim with a source."""
    from sqlalchemy import select

    from claimledger.ledger.models import ClaimRow, SourceRow
    from claimledger.ledger.store import sessions

    with sessions(engine)() as session:
        return [tuple(r) for r in session.execute(select(ClaimRow.source_text, SourceRow.name)
                                                  .join(SourceRow, ClaimRow.source_id == SourceRow.id)).all()]


def _sources_of(engine, mention: str) -> set[str]:
    return {name for text, name in claim_sources(engine) if text == mention}


def test_the_company_of_a_text_is_the_known_company_it_names_and_no_other_kind_of_body(db_url, analyzer):
    from claimledger.analysis.schema import Document
    from claimledger.ledger.book import Ledger
    from claimledger.ledger.store import open_engine

    documents = [
        Document(text="Kestrel Minerals said on Monday that 14 workers were injured in the blast at its smelter.",
                 published="2025-03-03", url="https://example.org/1"),
        Document(text="Greenpeace said on Tuesday that 40 tonnes of acid had leaked from the smelter.",
                 published="2025-03-04", url="https://example.org/2"),
        # the text names the company only where it speaks of the plant, not as a speaker
        Document(text="Rescuers searched the Kestrel Minerals smelter on Wednesday. The company said that 17 workers "
                      "were injured. The environmental group said that 55 tonnes of acid had leaked.",
                 published="2025-03-05", url="https://example.org/3"),
        Document(text="Harrow Freight Ltd said on Thursday that 3 of its trucks were damaged.",
                 published="2025-03-06", url="https://example.org/4"),
        # two known companies named: "the company" could be either, and stays this text's own
        Document(text="Trucks of Harrow Freight blocked the gate of the Kestrel Minerals smelter on Friday. The "
                      "company said that 20 workers were injured.", published="2025-03-07", url="https://example.org/5"),
    ]
    engine = open_engine(db_url)
    ledger = Ledger(engine)
    for document, analysis in zip(documents, analyzer.analyze_many(documents)):
        ledger.add(document, analysis)
    assert _sources_of(engine, "The company") == {"Kestrel Minerals", "company"}  # the third text's, the fourth's own
    assert _sources_of(engine, "The environmental group") == {"environmental group"}  # not the company, not Greenpeace
    engine.dispose()
