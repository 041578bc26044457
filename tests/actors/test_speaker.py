"""The document speaker: issuers that reply to someone, headers, embassies, joint statements.

Every text here was written for these tests; each case failed on the earlier finder, which
took the first actor of the lead or found nobody.
"""

import pytest

from claimflow.actors.gazetteer import Gazetteer
from claimflow.actors.speaker import find_speaker, load_rules


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a reply opens with the party it answers: that party is not the issuer
        ("The Chinese Foreign Ministry claimed on Tuesday that Philippine vessels had rammed "
         "a coast guard ship. The Department of Foreign Affairs of the Philippines said the "
         "account was false.", "PHL-MFA"),
        ("Remarks by the Chinese Ambassador in Manila about the South China Sea have been "
         "received by the Department of Foreign Affairs of the Philippines with deep concern.",
         "PHL-MFA"),
        ("The remarks of the Polish President on war reparations have drawn a response from "
         "the Ministry of Foreign Affairs of Germany.", "DEU-MFA"),
        ("The accusations made by Russian officials that Kyiv staged the attack are "
         "categorically rejected by the Ministry of Foreign Affairs of Ukraine.", "UKR-MFA"),
        # a spokesperson answering foreign media: the ministry of the spokesperson's state
        ("Responding to a report by The Washington Post, Foreign Ministry Spokesperson Mao Ning "
         "told reporters in Beijing that China firmly opposes the smear campaign.", "CHN-MFA"),
        # a state that speaks through its own ministry
        ("Egypt has rejected the allegations made by Ethiopia in its letter to the Security "
         "Council, the Ministry of Foreign Affairs said in a statement.", "EGY-MFA"),
    ],
)
def test_issuer_of_a_reply(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an embassy: "in Peru" is its seat, not an actor between subject and verb
        ("The Embassy of Chile in Peru informs the public that the messages circulating on "
         "social media about visa fees are false.", "CHL-EMB"),
        # a Commission release under a Brussels dateline
        ("Brussels, 12 March 2024 \u2014 The Commission has today decided to refer Hungary to "
         "the Court of Justice over its sovereignty protection law.", "EC"),
        # a bare office takes the state of the dateline: the capital is a place
        ("London, 3 May 2024 \u2014 The Foreign Secretary has condemned the seizure of a "
         "merchant vessel in the Strait of Hormuz by Iranian forces. The United Kingdom calls "
         "for the release of the crew.", "GBR-MFA"),
        ("Vilnius, 14 May 2024 \u2014 Minsk's claims that Lithuanian drones violated "
         "Belarusian airspace are groundless, the Ministry of National Defence said. "
         "Lithuania poses no threat to anyone.", "LTU-MIL"),
    ],
)
def test_embassy_commission_and_bare_offices(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a briefing whose issuer is named only in the header
        ("Foreign Ministry Spokesperson Mao Ning's Regular Press Conference, Beijing, "
         "4 March 2024. Question: Japan says Chinese coast guard ships entered its waters. "
         "What is China's comment? Mao Ning: The Diaoyu Islands are China's inherent "
         "territory.", "CHN-MFA"),
        # "Statement by X on Y": X issues, Y is the topic
        ("Statement by the Ministry of Foreign Affairs of Armenia on the remarks of the "
         "President of Azerbaijan. The remarks contain territorial claims against Armenia.",
         "ARM-MFA"),
    ],
)
def test_header_names_the_issuer(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Joint statement of the Ministers of Foreign Affairs of Estonia, Latvia and Lithuania "
         "on the sentencing of journalists in Belarus. The ministers condemn the verdicts.",
         "EST-MFA"),
        ("The foreign ministers of Denmark, Finland and Sweden have issued a joint statement "
         "condemning the sabotage of the undersea cables.", "DNK-MFA"),
    ],
)
def test_joint_statement_returns_the_first_issuer(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


def test_lexicons_come_from_the_actor_folder(gaz):
    rules = load_rules(gaz.dir)
    assert rules.subj.search("the ministry has issued a statement")
    assert rules.rank["ACTOR_INST"] > rules.rank["ACTOR_STATE"]
    assert load_rules(gaz.dir) is rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a permanent mission to an international organisation speaks for its foreign ministry
        ("The Permanent Mission of Norway to the United Nations rejects the allegations "
         "circulated by a news website about its voting record.", "NOR-MFA"),
        # any other ministry, a state information service or security council is the government
        ("Accra, 2 May 2024 \u2014 The Ministry of Lands and Natural Resources has rejected "
         "reports that forest reserves were sold to foreign companies.", "GHA-GOV"),
        ("Khartoum, 3 June 2025 \u2014 The Security and Defence Council has declared the "
         "closure of the border crossing and condemned the shelling of the city.", "SDN-GOV"),
        # "Council of Representatives" is a parliament
        ("Baghdad, 1 May 2024 \u2014 The Council of Representatives has condemned the strike "
         "on the city and called on the government to protect the airspace.", "IRQ-LEG"),
    ],
)
def test_generic_national_offices(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a subsidiary organ speaks for its parent body (the gold convention)
        ("The OSCE Office for Democratic Institutions and Human Rights has published its "
         "final report on the presidential election.", "OSCE"),
        ("The Arab Parliament has condemned the resolution, which it called interference "
         "in the internal affairs of an Arab state.", "ARAB-LEAGUE"),
    ],
)
def test_subsidiary_organs_speak_for_their_parent(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


def test_report_with_a_longer_government_rebuttal_goes_to_the_government(gaz):
    text = (
        "Human Rights Watch on Monday released a report on detentions in the north of Peru. "
        "The organisation says police held protesters without charge. "
        "The Interior Minister rejected the report the same day. "
        "The minister said every arrest was made under a court order. "
        "He added that the detainees had access to lawyers at all times. "
        "The ministry said the report relied on anonymous and unverified sources. "
        "It noted that prosecutors had opened inquiries into every complaint. "
        "The government will keep protecting the right to peaceful protest, the minister said."
    )
    assert find_speaker(text, gaz)[1] == "PER-GOV"


def test_report_with_a_short_reply_stays_with_its_author(gaz):
    text = (
        "Human Rights Watch on Monday released a report on detentions in the north of Peru. "
        "The organisation says police held protesters without charge. "
        "The report documents forty cases in three provinces. "
        "It urges the authorities to release those held without charge. "
        "The Interior Minister said the report was unfounded."
    )
    assert find_speaker(text, gaz)[1] == "HRW"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bare office that answers a party in its lead is not of that party's state
        ("Foreign Minister Anna Berg on Monday summoned the Russian ambassador over remarks "
         "about the investigation into the sabotage of the cable. The remarks were "
         "unacceptable, the minister said. Moscow keeps spreading falsehoods about the inquiry. "
         "Moscow must stop interfering. Sweden expects full cooperation.", "SWE-MFA"),
        # else it takes the state that opens statements later on
        ("The Department of Foreign Affairs has lodged a protest against Beijing's plan to "
         "build a base on the reef. China must halt its reclamation work. China's coast guard "
         "harassed fishermen again last week, and China ignores the arbitral award. The "
         "Philippines calls on China to respect international law.", "PHL-MFA"),
        # a spokesperson opening the lead before a name is the foreign ministry's
        ("Spokesperson Maria Lopez said the claims made by the Venezuelan Foreign Minister "
         "distort the facts. Venezuela keeps troops near the border, she added. Guyana will "
         "defend its territory by lawful means.", "GUY-MFA"),
    ],
)
def test_bare_office_takes_the_state_it_does_not_answer(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "a spokesman for the Foreign Ministry said": the ministry speaks for the state
        ("Norway rejects the conclusions of the panel, which rest on unverified sources, a "
         "spokesman for the Foreign Ministry said. The panel did not visit the country.",
         "NOR-MFA"),
        # a bare state whose ministry speaks later in the text
        ("Chile has dismissed as baseless the charge that its navy entered Bolivian waters. "
         "The ministry said the patrol stayed inside Chilean jurisdiction at all times.",
         "CHL-MFA"),
    ],
)
def test_state_speaks_through_its_foreign_ministry(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a joint issuer takes the plural verb
        ("We, the foreign ministers of Estonia, Latvia and Lithuania, strongly condemn the "
         "jamming of civilian aircraft navigation over the Baltic Sea.", "EST-MFA"),
        ("The Governments of Chile, Peru and Uruguay, mindful of the gravity of the situation "
         "created by the suspension of the electoral process, declare the following.",
         "CHL-GOV"),
        # heads of state of a state whose name begins "State of"
        ("Joint communiqué of the Heads of State of Qatar and the Republic of Rwanda, issued "
         "after their meeting in Doha.", "QAT-PRES"),
    ],
)
def test_joint_issuers(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "wishes to respond": a diplomatic note's statement verb
        ("The Embassy of Peru in Madrid wishes to respond to the article published by a "
         "Spanish daily on the situation of migrants.", "PER-EMB"),
        # "the following statement" belongs to the nearest actor before it
        ("Russia's defence ministry said on Monday that its forces had hit a depot in Odesa, "
         "and the Ministry of Foreign Affairs of Ukraine has issued the following statement. "
         "The strike destroyed a grain terminal.", "UKR-MFA"),
    ],
)
def test_issuer_verbs_and_markers(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


# ---------------------------------------------------------------- round 3 (issue 13)
# Written for these tests in the style of the statements; each case failed on the finder of
# the previous round (the answered party or nobody was returned).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the reply names the paper it answers first; the office reading the statement issues it
        ("Responding to an editorial carried on 4 March by the British daily The Times, "
         "Deputy Minister of Foreign Affairs Elena de la Vega read the following statement of "
         "the Ministry of Foreign Affairs of Venezuela to the press. The newspaper asserted "
         "that Caracas hosts foreign military advisers. The report is false.", "VEN-MFA"),
        # a parliament answering a foreign parliament's resolution
        ("Amman, 3 May 2024 \u2014 In response to a resolution of the European Parliament on "
         "press freedom, the House of Representatives of Jordan today passed a motion "
         "rejecting the text as interference.", "JOR-LEG"),
        # a spokesperson answering foreign media: the states named in the allegation are
        # the answered content, not the spokesperson's state
        ("The Guardian on Sunday alleged that Chinese hackers targeted UK lawmakers. Foreign "
         "Ministry Spokesperson Lin Jian said that China firmly opposes such groundless "
         "smears.", "CHN-MFA"),
    ],
)
def test_reply_is_issued_by_the_replying_office(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an official in apposition to the office: "X, spokesperson for the Y, answered"
        ("Senior Colonel Wu Qian, spokesperson for the Ministry of National Defense of the "
         "People's Republic of China, answered a question on Japan's new defence strategy. "
         "Question: Tokyo says China is its greatest strategic challenge. What is your "
         "comment? Wu Qian: Japan's claims are groundless.", "CHN-MIL"),
        # an office whose verb is irregular ("held a press conference"), state from dateline
        ("Islamabad, 4 May 2023 \u2014 Caretaker Minister of Information and Broadcasting "
         "Murtaza Solangi held a press conference on a report by a US news website that "
         "alleged arms sales to Ukraine. The report is baseless, he said.", "PAK-GOV"),
        # a title before the body and an apposition with initials
        ("The Prosecutor of the International Criminal Court, Fatou B. Bensouda, announced "
         "that her Office would open an investigation. Israel rejected the decision.", "ICC"),
        # the Security Council named without "UN", not a national security council
        ("At its meeting on 9 May, the President of the Security Council, Ambassador Linda "
         "Thomas-Greenfield of the United States, read out a statement on behalf of the "
         "Council. The Security Council condemns the attack on the peacekeepers.", "UNSC"),
        # an institution followed by its state: one mention
        ("The Foreign Affairs Committee of the National People's Congress (NPC) of the "
         "People's Republic of China issued the following statement on the bill adopted by "
         "the US Congress.", "CHN-LEG"),
    ],
)
def test_office_named_through_its_official(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


def test_embassy_named_by_the_title_line(gaz):
    text = ("Embassy of the Russian Federation in Canada. In connection with the statement "
            "of the Canadian Foreign Minister on 12 May, we would like to note the following. "
            "The accusations against Russia are absurd.")
    assert find_speaker(text, gaz)[1] == "RUS-EMB"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Foreign Minister Annalena Baerbock of Germany, Foreign Minister Catherine Colonna "
         "of France and Foreign Secretary James Cleverly of the United Kingdom issued the "
         "following statement. We condemn Iran's continued nuclear escalation.", "DEU-MFA"),
        # a header naming no issuer: the ministers listed in the next sentence issue it
        ("Joint Statement on the Trilateral Ministerial Meeting, Tokyo, 5 June 2024. "
         "Japanese Minister for Foreign Affairs Kamikawa Yoko, Korean Minister of Foreign "
         "Affairs Cho Tae-yul and US Secretary of State Antony Blinken met in Tokyo.",
         "JPN-MFA"),
    ],
)
def test_joint_statement_of_several_ministers(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"rank": {}}', "missing key"),
        ("[1, 2]", "malformed speaker rules"),
    ],
)
def test_malformed_speaker_rules_name_the_file(tmp_path, content, message):
    from claimflow.errors import ClaimflowError

    (tmp_path / "speaker.json").write_text(content, encoding="utf-8")
    with pytest.raises(ClaimflowError, match=message) as err:
        load_rules(tmp_path)
    text = str(err.value)
    assert str(tmp_path / "speaker.json") in text and "\n" not in text


def test_bad_pattern_in_speaker_rules_names_the_file(tmp_path, gaz):
    import json

    from claimflow.errors import ClaimflowError

    cfg = json.loads((gaz.dir / "speaker.json").read_text(encoding="utf-8"))
    cfg["subject_verbs"].append("(unclosed")
    (tmp_path / "speaker.json").write_text(json.dumps(cfg), encoding="utf-8")
    with pytest.raises(ClaimflowError, match=r"speaker\.json: malformed speaker rules"):
        load_rules(tmp_path)


def test_briefing_transcript_answered_by_an_office_in_the_turn_label(gaz):
    """The header names the host ("Government press conference"); the office in the
    answer's turn label speaks."""
    text = ("Government press conference, Berlin, 3 May 2023 (excerpt). Q: Hungary's prime "
            "minister says Germany is blocking EU funds for political reasons. What is the "
            "Federal Government's view? Hoffmann (Federal Foreign Office): We reject this "
            "reading. The rule-of-law procedure is a matter for the Commission.")
    assert find_speaker(text, gaz)[1] == "DEU-MFA"


@pytest.mark.slow
def test_sample_corpus_issuers(sample_run):
    """The five samples: three Milli Majlis statements (its committee and working groups
    speak for it) and two of Azerbaijan's foreign ministry (a press-service answer, a
    statement)."""
    import pandas as pd

    docs = pd.read_parquet(sample_run / "documents.parquet")
    got = {d[:3]: c for d, c in zip(docs["doc_id"], docs["speaker_code"], strict=True)}
    assert got == {"000": "AZE-LEG", "001": "AZE-LEG", "002": "AZE-LEG",
                   "003": "AZE-MFA", "004": "AZE-MFA"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the issuer sits after "statement by" inside a heading; the envoy delivers it
        ("Human Rights Council, 51st session, general debate on item 4: statement by the "
         "Government of Sri Lanka, delivered by Ambassador Nimal Perera, Permanent "
         "Representative in Geneva. Sri Lanka rejects the resolution tabled by the core group.",
         "LKA-MFA"),
        # a briefing header that names the ministry of the spokesperson
        ("Weekly media briefing by the Official Spokesperson of the Ministry of External "
         "Affairs of India, New Delhi, 3 March 2023. Question: Pakistan's foreign office said "
         "yesterday that India violated the ceasefire. Answer: We reject this claim.", "IND-MFA"),
        # a government named with a qualifier before its state
        ("Communique of the Government of the Transition of the Republic of Mali, Bamako, "
         "12 May 2022. The Government denounces the repeated violations of its airspace by "
         "French aircraft.", "MLI-GOV"),
    ],
)
def test_issuer_named_in_a_heading(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


# ------------------------------------------------------------------ unseen issuers
# Headline + header documents: sentence 0 is a headline without a full stop that usually
# names the answered party first; the header after it names the issuer.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Honduras distorts the facts about the Gulf of Fonseca, Nicaragua says Press release "
         "of the Government of Nicaragua, Managua, 4 May 2022. The Government has read the "
         "statement of the Honduran Foreign Ministry with surprise.", "NIC-GOV"),
        ("Peru rejects the remarks of the Bolivian President as interference Communiqué of "
         "the Ministry of Foreign Affairs and Human Mobility of Ecuador, Quito, 2 February "
         "2023. Ecuador expresses its solidarity with the Peruvian people.", "ECU-MFA"),
        ("Lima's ban on fishing vessels is unlawful, says Deputy Prime Minister Statement by "
         "the Deputy Prime Minister of Chile, Santiago, 9 March 2021, on the decision of Peru "
         "to close its ports.", "CHL-GOV"),
        ("Hungary's new media law breaches European values Video statement of the Prime "
         "Minister of Slovenia, Ljubljana, 12 April 2021. Freedom of the press is not "
         "negotiable.", "SVN-GOV"),
        ("Zimbabwe faces interference from the British High Commission Media briefing by the "
         "Minister of Foreign Affairs of Zambia, Lusaka, 3 March 2020. I summoned the "
         "British High Commissioner this morning.", "ZMB-MFA"),
        ("Ghana tells the Security Council that Togo shelters armed groups Letter dated 5 June "
         "2023 from the Ministers for Foreign Affairs of Benin and Burkina Faso addressed to "
         "the President of the Security Council. We have the honour to transmit the "
         "following.", "BEN-MFA"),
    ],
)
def test_header_after_headline(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a dateline after the headline opens the body: its subject is the lead's
        ("Observers doubt the count in Liberia's runoff Monrovia, 2 December 2023 \u2014 The "
         "Carter Center today released its preliminary statement on the runoff, noting that "
         "the Government of Liberia had not published results by polling station.",
         "CARTER"),
        ("Commission finds grave abuses in Nicaragua, while the Government says the report is "
         "biased Washington, D.C., 3 May 2019 \u2014 The IACHR, the OAS organ for human "
         "rights, today released its report on Nicaragua.", "IACHR"),
        # an acronym in brackets between the subject and its verb
        ("Strasbourg, 11 October 2023 \u2014 The Parliamentary Assembly of the Council of "
         "Europe (PACE) today voted to suspend the credentials of the delegation of "
         "Azerbaijan.", "PACE"),
        # one person, two offices: the portfolio speaks
        ("Statement by Anna Berg, Deputy Prime Minister and Minister of Foreign Affairs of "
         "Latvia, on the expulsion of Latvian diplomats from Moscow.", "LVA-MFA"),
        # a joint note of permanent missions to an organisation: their governments
        ("Note of the Permanent Missions to the Organization of American States of Jamaica, "
         "Guyana and Barbados, Washington, D.C., 3 March 2020. The Missions reject the "
         "resolution.", "JAM-GOV"),
        # international organisations and NGOs beyond those of the training documents
        # a UN mission speaks under its own code, as UN agencies do
        ("MONUSCO has condemned the attack by armed men on a camp for displaced people in "
         "Ituri.", "MONUSCO"),
        ("Physicians for Human Rights has published a report on attacks on hospitals in "
         "Sudan.", "PHR"),
        ("The Pacific Islands Forum Secretariat has condemned the decision of Japan to "
         "release treated water into the ocean.", "PIF"),
    ],
)
def test_unseen_issuers(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the header after a headline's dateline names the issuer
        ("Leaders split over fisheries access in the region Apia, Samoa, May 2011 \u2014 "
         "Press release of the Secretariat of the Pacific Community on the closing of the "
         "regional fisheries meeting. The meeting ended without a deal on fishing licences.",
         "SPC"),
        ("Canberra denies the claims about its detention centre Port Moresby, 4 June 2015 "
         "\u2014 Statement by the office of Anna Kera, Papua New Guinea's Minister for "
         "Immigration, on reports in the Australian press.", "PNG-GOV"),
        # a headline opening with its speaker and a colon
        ("Fijian Foreign Minister: the reports of a naval base deal with Beijing are false "
         "Suva, March 2022 \u2014 Speaking to journalists while visiting Australia, the "
         "minister said no talks had taken place.", "FJI-MFA"),
        ("OSCE report: elections in Kazakhstan were efficiently run but lacked real "
         "competition. Observers noted that Russia and China had sent no monitors.", "OSCE"),
        # (a guard: a state alone before the colon is the headline's topic)
        ("Belarus: Amnesty International condemns the sentencing of three journalists. "
         "The court in Minsk handed down terms of up to ten years.", "AMNESTY"),
        # a temporal clause before an actor subject does not supply the speaker
        ("Hours before the arrival of Indonesia's President Prabowo Subianto, President "
         "Ferdinand Marcos Jr. of the Philippines gave an interview to a local radio; "
         "excerpts of his answers follow.", "PHL-PRES"),
        # a government office for another portfolio; a defence secretary of state is MIL
        ("Dili, 2 May 2016 \u2014 Timor-Leste's Secretary of State for Public Order "
         "rejected the reports of shootings near the border.", "TLS-GOV"),
        ("London, 2 May 2016 \u2014 The British Secretary of State for Defence rejected "
         "the reports of a submarine collision.", "GBR-MIL"),
        # a joint statement on behalf of several states: each state's government
        ("Geneva, 5 March 2019 \u2014 Joint statement delivered at the Human Rights Council "
         "by Ambassador Ana Lopez on behalf of Uruguay, Chile, Peru and Paraguay on the "
         "situation in Venezuela.", "URY-GOV"),
    ],
)
def test_headline_forms_of_unseen_issuers(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


# ------------------------------------------------------------------ title lines, own names
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an office, a dash and its state: Venezuela, named more often, is the target
        ("Chamber of Senators \u2013 Oriental Republic of Uruguay\nDeclaration approved in "
         "plenary session\n\nThe Chamber of Senators declares its concern at the detention in "
         "Venezuela of two citizens. Venezuela has not answered. Venezuela must release them.",
         "URY-LEG"),
        # an all-caps heading with an ordinal: the legislature, not the government it urges
        ("TWENTY-THIRD CONGRESS OF THE FEDERATED STATES OF MICRONESIA\nFOURTH REGULAR "
         "SESSION, 2024\n\nA RESOLUTION urging the Government of Japan to halt the release of "
         "treated water. WHEREAS, the Government of Japan began to release water into the "
         "Pacific.", "FSM-LEG"),
        # the issuer, a dash and the document type, after a header that names no issuer
        ("AFM statement regarding allegations on the rescue case\nArmed Forces of Malta "
         "\u2013 Press statement, 25 August 2025\n\nThe AFM refutes the claims made by the "
         "Alarm Phone network that Malta ignored a distress call. Libya is responsible for "
         "the region.", "MLT-MIL"),
        ("Armed Forces of Malta \u2013 Press statement, 25 August 2025\n\nThe Armed Forces of "
         "Malta (AFM) refute the claims made by the Alarm Phone network. Malta was not "
         "responsible.", "MLT-MIL"),
        # an office in capitals, its state from the dateline at the end
        ("STATEMENT BY THE MINISTRY OF FOREIGN AFFAIRS\n\nThe Ministry strongly condemns the "
         "attack on the embassy of Georgia in Kyiv. Vilnius, 14 May 2024.", "LTU-MFA"),
    ],
)
def test_title_line_names_the_issuer(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # parliaments known by their own names, and their committees
        ("Statement of the Foreign Affairs Committee of Althingi on the damage to a subsea "
         "cable\nThe committee calls on the Government to pursue the investigation with "
         "Ireland.", "ISL-LEG"),
        ("The Riksdag's Committee on Foreign Affairs has called on China to release the "
         "publisher.", "SWE-LEG"),
        ("Iceland's foreign affairs committee has condemned the damage to the subsea cable.",
         "ISL-LEG"),
        ("The Diet adopted a resolution protesting against China's ban on Japanese seafood.",
         "JPN-LEG"),
        # a name several states use takes the dateline's state
        ("Podgorica, 3 June 2024 \u2014 The Skup\u0161tina adopted a resolution condemning "
         "the genocide. Serbia criticised the vote.", "MNE-LEG"),
        # presidential offices by their seats, and by their office
        ("Executive Mansion Dismisses Opposition Claims\n\nThe Executive Mansion has described "
         "as false the allegations made by leaders of an opposition party.", "LBR-PRES"),
        ("Casa Rosada rejects British claims over the islands\n\nThe Casa Rosada said the "
         "United Kingdom had no right to hold military exercises.", "ARG-PRES"),
        ("Malaca\u00f1ang said the Philippines would not withdraw from the shoal despite "
         "China's demands.", "PHL-PRES"),
        ("Monrovia, 28 January 2025 \u2014 The Office of the President said no such proposal "
         "had been discussed by Cabinet.", "LBR-PRES"),
        ("Nairobi, 4 June 2024 \u2014 State House has dismissed reports that the President "
         "will reshuffle the Cabinet.", "KEN-PRES"),
    ],
)
def test_institutions_known_by_their_own_names(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


# ------------------------------------------------------------- UN experts, forces, ministries
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # UN human-rights experts (special rapporteurs, independent experts) are coded OHCHR
        ("UN expert urges Paraguay to revise law restricting civil society\n\nGENEVA (12 "
         "November 2024) \u2013 A UN human rights expert today voiced serious concern about a "
         "new law in Paraguay that places controls on non-profit organisations.", "OHCHR"),
        ("The Special Rapporteur on the situation of human rights in Belarus has condemned the "
         "new sentences handed down in Minsk.", "OHCHR"),
        ("The Independent Expert on the situation of human rights in Haiti said the violence "
         "had reached unprecedented levels.", "OHCHR"),
        ("A UN independent expert today urged Sri Lanka to end the harassment of families of "
         "the disappeared.", "OHCHR"),
        # (guard) another body's rapporteur stays with that body
        ("The IACHR Special Rapporteur for Freedom of Expression condemned the murder of a "
         "journalist in Honduras.", "IACHR"),
    ],
)
def test_un_human_rights_experts(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "Defence Force(s)" of a state, also as an all-caps heading
        ("GUYANA DEFENCE FORCE\nPatrol fired upon on the Cuyuni River\n\nA Guyana Defence "
         "Force (GDF) patrol came under fire on Sunday. The Force has noted reports in "
         "Venezuelan state media.", "GUY-MIL"),
        ("The Botswana Defence Force has rejected reports that its soldiers shot at Namibian "
         "fishermen on the Chobe River.", "BWA-MIL"),
    ],
)
def test_defence_forces(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the NGO written in capitals; (guard) the treaty article is no actor
        ("ARTICLE 19 calls on the authorities of Guinea to restore the licences of the closed "
         "radio stations.", "ARTICLE19"),
        ("Article 19 of the Covenant does not protect incitement, the Government of Kenya "
         "said.", "KEN-GOV"),
        ("Alarm Phone said that the Maltese authorities ignored the distress calls of a boat "
         "with 60 people on board.", "ALARM-PHONE"),
        ("Sea-Watch has condemned the detention of its rescue ship by the Italian "
         "authorities.", "SEA-WATCH"),
    ],
)
def test_ngos_by_their_own_names(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a state, a dash and its office as the title line
        ("Federal Republic of Somalia \u2013 Ministry of Foreign Affairs and International "
         "Cooperation\nPress Conference by the Ministry Spokesperson\nQuestion: The "
         "administration in Hargeisa says it has signed an agreement. What is the ministry's "
         "position?\nSpokesperson: The Federal Government rejects it.", "SOM-MFA"),
        # a foreign ministry named with another portfolio and a demonym takes the document's
        # state; the demonym is part of the name ("... Migration and Tunisians Abroad")
        ("Tunis, 3 May 2024 \u2013 The Ministry of Foreign Affairs, Migration and Tunisians "
         "Abroad rejects the resolution of the European Parliament.", "TUN-MFA"),
        ("Ministry of Foreign Affairs, Francophonie and Central Africans Abroad\nThe "
         "allegations made by the French Ministry of the Armed Forces, according to which the "
         "Central African Armed Forces carried out a drone strike, are firmly rejected by the "
         "Government of the Central African Republic.", "CAF-MFA"),
    ],
)
def test_foreign_ministries_with_long_names(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # UN peace operations and political missions keep their own codes
        ("The United Nations Organization Stabilization Mission in the Democratic Republic of "
         "the Congo (MONUSCO) firmly rejects the allegations circulating on social media.",
         "MONUSCO"),
        ("The United Nations Interim Force in Lebanon has expressed concern over the "
         "violations of resolution 1701.", "UNIFIL"),
        ("UNDOF has expressed concern about the presence of troops in the area of "
         "separation.", "UNDOF"),
        ("The United Nations Mission for the Referendum in Western Sahara said that the "
         "ceasefire must be respected.", "MINURSO"),
    ],
)
def test_un_missions_keep_their_codes(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # an interior or justice ministry speaks for the government, not the foreign ministry
        ("Ministry of Internal Affairs of Georgia\nInformation Note\n\nThe Ministry informs the "
         "public about the events that took place near the Parliament building.", "GEO-GOV"),
        ("Georgia rejects the claims of the opposition. The interior ministry said the police "
         "had acted within the law.", "GEO-GOV"),
        # a bare "the ministry" still means the foreign ministry
        ("Georgia rejects the claims of the opposition. The ministry said the report was "
         "false.", "GEO-MFA"),
    ],
)
def test_interior_and_justice_ministries_speak_for_the_government(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a letterhead under an honorific, after a header that names no issuer
        ("PRESS RELEASE\n\nRoyal Norwegian Embassy\nShantipath, Chanakyapuri, New Delhi\n\nThe "
         "Embassy has noted reports in certain Indian newspapers about visa refusals.",
         "NOR-EMB"),
        # ministers of another portfolio, plural, in a joint statement's header
        ("Joint Statement of the Ministers of Transport of the Republic of Armenia and "
         "Georgia\n\nThe ministers discussed the reopening of the railway link.", "ARM-GOV"),
        # an organisation's name inside the office's name does not speak ("CARICOM")
        ("MINISTRY OF FOREIGN AND CARICOM AFFAIRS\nREPUBLIC OF TRINIDAD AND TOBAGO\n\nMEDIA "
         "RELEASE\n\nUpdate on nationals held in the Bolivarian Republic of Venezuela\n\nPort "
         "of Spain, 3 May 2025 \u2013 The Ministry of Foreign and CARICOM Affairs wishes to "
         "update the public on the nationals held by the Venezuelan authorities.", "TTO-MFA"),
        # a committee on security and foreign policy speaks for its parliament
        ("Statement of the Standing Committee on Security and Foreign Policy\n\nThe Standing "
         "Committee on Security and Foreign Policy of the State Great Khural discussed the "
         "border closure.", "MNG-LEG"),
        # a ministry of external relations is the foreign ministry
        ("REPUBLIC OF MOZAMBIQUE\nMINISTRY OF EXTERNAL RELATIONS\n\nPress Release No. 4/2025\n\n"
         "The Minister of External Relations received the Ambassador of Malawi.", "MOZ-MFA"),
        # a header line right under a headline names the issuer ("attributable to" names
        # who speaks, not the topic)
        ("Niger: food convoys held at the border for ten days\n\nStatement attributable to "
         "the Head of Office of the UN Office for the Coordination of Humanitarian Affairs "
         "(OCHA) in Niger\n\nThirty trucks have been waiting at the crossing since 2 May; the "
         "Nigerien side says the checks are needed.", "OCHA"),
        # the office that signs at the end, its state from the signature's place
        ("Remarks made on Monday by the Ambassador of Burundi about our border are "
         "regrettable. We call on the Government of Burundi to return to dialogue.\n\n"
         "Ministry of Foreign Affairs and International Cooperation\nKigali, 2 June 2025",
         "RWA-MFA"),
        ("At the invitation of the Government, the Foreign Secretary of India visited the "
         "capital on 15 and 16 September.\n\nMinistry of Foreign Affairs and External Trade\n"
         "Thimphu\n17 September 2025", "BTN-MFA"),
        # a named issuer in a header still wins over a signature
        ("Statement by the Ministry of Foreign Affairs of Estonia\n\nWe reject the claims.\n\n"
         "Embassy of Estonia\nRiga, 2 June 2025", "EST-MFA"),
    ],
)
def test_issuer_formats_of_the_fresh_batches(gaz, text, expected):
    assert find_speaker(text, gaz)[1] == expected


@pytest.mark.parametrize(
    "text, place, expected",
    [
        # a dateline under a quoted headline is the home state of a bare office, even when
        # another state's authorities act in the lead
        ("\"Traders freed\"\n\nLom\u00e9, 4 June 2025\n\nThe Ministry of Foreign Affairs and "
         "Regional Integration welcomes the release of the traders. The Nigerian authorities "
         "said the traders were released on Monday.", None, "TGO-MFA"),
        ("GENERAL COMMAND OF THE MILITARY FORCES OF PERU\nPress Release No. 12 / 2025\n\nThe "
         "General Command informs public opinion that a patrol came under fire near the "
         "border with Ecuador.", None, "PER-MIL"),
        # a social-media header: the account's name, handle and date
        ("Ministry for Foreign Affairs of Sweden @SweMFA \u00b7 4 Mar 2025\n\nStatement (1/2) "
         "Germany and Poland reported damage to a cable in the Baltic Sea.", None, "SWE-MFA"),
        # an organisation's name with its acronym, under a header that names no issuer
        ("NEWS RELEASE\nInternational Committee of the Red Cross (ICRC)\nRegional Delegation "
         "for the Caucasus\n\nTbilisi/Yerevan, 2 May 2025\n\nFamilies of the missing: ICRC "
         "supports forensic cooperation between Armenia and Georgia\n\nThe Ministry of "
         "Foreign Affairs of Georgia and the Armenian commission on missing persons met in "
         "Tbilisi with the support of the ICRC.", None, "ICRC"),
        # "The Ministry" opening a line, its state from the dateline that ingest cut off
        ("COMMUNIQU\u00c9\n\nThe Ministry informs the public that a bus carrying our "
         "compatriots overturned in Mexico. The Government regrets the loss of life.",
         "San Salvador", "SLV-MFA"),
        # an electoral commission is a state organ, not the European Commission
        ("INDEPENDENT ELECTORAL COMMISSION\nKINGDOM OF ESWATINI\n\nMEDIA STATEMENT\n\nThe "
         "Commission informs the public that the by-election is postponed.", None,
         "SWZ-GOV"),
    ],
)
def test_datelines_commands_social_headers_and_commissions(gaz, text, place, expected):
    assert find_speaker(text, gaz, place=place)[1] == expected


_PORTFOLIOS_AND_CLOSING_BLOCKS = [
        # a letterhead names the office by a portfolio that is another state's institution
        # (Australia's "Department of Foreign Affairs and Trade")
        ("REPUBLIC OF VANUATU\nDEPARTMENT OF FOREIGN AFFAIRS AND TRADE\nMEDIA RELEASE\n\nThe "
         "Department rejects the claims made by the Australian broadcaster about the police "
         "training agreement with China.", "VUT-MFA"),
        # a capital the gazetteer lacked gives a bare office its state
        ("Press briefing of the Spokesperson of the Ministry of Foreign Affairs\nHoniara, 2 "
         "June 2025\n\nThe Spokesperson answered questions about the Chinese police "
         "presence.", "SLB-MFA"),
        # "Ministers responsible for Foreign Affairs of A, B and C": their foreign ministries
        ("Joint Statement of the Ministers responsible for Foreign Affairs of Barbados, "
         "Dominica and Saint Vincent and the Grenadines\n\nThe Ministers reject the proposal "
         "of the European Commission.", "BRB-MFA"),
        # a closing block over a blank line: the place, then the office that signs
        ("This House,\n\nRecalling its earlier resolutions on the border dispute;\n\n1. Rejects "
         "the claims of the Government of Malawi.\n\nAdopted in the Chamber, Dodoma, 4 June "
         "2025\n\nSpeaker of the National Assembly", "TZA-LEG"),
        # the press unit of an embassy signs
        ("In connection with the report broadcast by a Kazakh channel about our citizens, we "
         "state that it is false.\n\nPress Service of the Embassy of the Republic of "
         "Uzbekistan in the Republic of Kazakhstan\nAstana, 4 May 2025", "UZB-EMB"),
        # a minister who signs as the government's spokesperson, under the place line
        ("In his report the Special Rapporteur accuses the army of killings. We reject these "
         "allegations.\n\nNiamey, 3 March 2025\nThe Minister of Communication, Government "
         "Spokesperson", "NER-GOV"),
        # a line under the headline that only names the issuer, with its date
        ("MALI: JOURNALISTS DETAINED AFTER COVERAGE OF PROTESTS\n\nFront Line Defenders | 4 "
         "June 2025\n\nThe authorities of Mali detained two journalists; the Ministry of "
         "Security denied any arrest.", "FLD"),
        # a group of states named after a capital is not that capital's state
        ("Declaration of the Lima Group on Venezuela\n\nThe Governments of Canada, Chile and "
         "Panama reject the legitimacy of the new term.", "CAN-GOV"),
]

_SEATS_AND_TITLE_BLOCKS = [
        # a presidential seat as the dateline place gives the state of a bare presidency
        ("Presidency of the Republic \u2013 Press Office\n\nThe Presidency rejects the claims "
         "made by the Algerian media about the border crossing.", "Carthage Palace",
         "TUN-PRES"),
        # a body sentence under a header is no header line: the signature names the issuer
        ("Press Release\n\nThe remarks delivered by the Prime Minister of Armenia on 3 May "
         "distort the facts about the border. Azerbaijan rejects them.\n\nMinistry of Foreign "
         "Affairs\nBaku, 4 May 2025", None, "AZE-MFA"),
        # "has taken note" opens a ministry's reply
        ("Communiqu\u00e9\n\nThe Ghanaian Ministry of Foreign Affairs and Regional Integration "
         "has taken note of the statement published on Monday by the Foreign Ministry of "
         "Togo regarding the fishermen. The Togolese authorities have not yet answered our "
         "note verbale.", None, "GHA-MFA"),
        # a line that only names the issuer, third among the title lines
        ("Georgia: journalists under pressure\nMission report (summary)\nCommittee to Protect "
         "Journalists | New York, 2 May 2025\n\nThe Georgian authorities detained two "
         "reporters; the Ministry of Internal Affairs denied it.", None, "CPJ"),
        # an office of the State Council named after the territory it deals with
        ("Taiwan Affairs Office of the State Council\nRegular Press Conference on 4 June "
         "2025\n\nQuestion: The Taiwan authorities announced new arms purchases. What is "
         "your comment?", None, "CHN-GOV"),
]

_WEB_PAGES_AND_RESOLUTIONS = [
        # long foreign-ministry names in a closing block, after "Issued by"
        ("The claims of the Croatian minister are unfounded.\n\nMinistry for Foreign and "
         "European Affairs and Trade\nLjubljana, 2 May 2025", "SVN-MFA"),
        ("The statement of the South African embassy misrepresents our position.\n\nIssued by "
         "the Ministry of International Relations and Trade\nGaborone, 3 June 2025",
         "BWA-MFA"),
        # a paragraph break separates a place from the office that opens the next paragraph;
        # a territory is the topic, not the home state
        ("Prime Minister's Office\nPress release \u2013 3 June 2025\n\nPrime Minister: the "
         "future of the Faroe Islands is decided in T\u00f3rshavn and Copenhagen, not in "
         "Washington\n\nPrime Minister Lars Holm said on Tuesday that the bill introduced in "
         "the United States Congress about the Faroe Islands shows no respect for the Faroe "
         "Islands. Denmark will answer it.", "DNK-GOV"),
        # a government web address among the opening lines gives the home state
        ("WWW.GOV.PL\nHome > News > Press releases\nPrint | Share\n\nGovernment rejects "
         "Lithuanian claims on the border crossing\n\nThe claims made by the Government of "
         "the Republic of Lithuania are untrue, the Government said.", "POL-GOV"),
        # a site's title bar names its government between bars
        ("Rosenbad | Government of Sweden\nEN | SV\nHome > Press releases\n\nCouncil of "
         "Ministers rejects the claims of the Russian embassy about the Baltic cable.",
         "SWE-GOV"),
        # a resolution opens with the chamber's name and a comma on its own line
        ("RESOLUTION\n\nOn the declaration of the State Duma of the Russian Federation\n\nThe "
         "Parliament of Estonia,\n\nRecalling the Treaty of Tartu;\n\n1. Rejects the "
         "declaration of the State Duma.", "EST-LEG"),
        # an NGO that rebuts in its headline issues the text, though the party it answers
        # speaks at length in it
        ("Press release\n\nAlarm Phone rejects accusations by the Armed Forces of Malta\n\n"
         "The Armed Forces of Malta claimed on Monday that the boat had refused assistance. "
         "The Armed Forces of Malta said the crew had turned away. The Armed Forces of Malta "
         "added that the weather was calm. The Armed Forces of Malta stated that no distress "
         "call had been received. The Armed Forces of Malta also said that Italy had been "
         "informed.", "ALARM-PHONE"),
        # the armed forces' media wing by its own name
        ("Inter Services Public Relations\nPress Release No PR-12/2025\n\nThe Indian Army's "
         "claim of a ceasefire violation near the Line of Control is baseless.", "PAK-MIL"),
]

_DASH_PLACES = [
        # a header place followed by a dash and a dated weekday
        ("Transcript of the Weekly Press Briefing by the Spokesperson, Ministry of Foreign "
         "Affairs, Dhaka \u2013 Thursday, 6 March 2025\n\nSpokesperson: India announced "
         "new fencing near Lalmonirhat. India says the fence is lawful. India insists on it. "
         "We reject this.", "BGD-MFA"),
        # "opposes" is an issuer's verb
        ("Beijing, 3 May 2025. The statement of the Philippine Coast Guard distorts the facts. "
         "China firmly opposes the Philippine side's provocations.", "CHN"),
]

_HEADLINE_SUBJECTS = [
        # "State: Body verbs ...": the body acting after the colon speaks, not the government
        # whose act the lead reports (site furniture may stand above the headline)
        ("NEWS | BRIEFING NOTES\n\nThailand: UNHCR alarmed by return of Uyghur asylum-seekers"
         "\n\nThe Ministry of Interior of Thailand said on Monday that the men had agreed to "
         "return. The Thai Government insists the returns were voluntary.", "UNHCR"),
        # a body of its own in the lead still wins over the headline's "UN experts"
        ("Eswatini: UN experts call for the release of union leaders\n\nGENEVA (2 May 2025) "
         "\u2013 The UN Working Group on Arbitrary Detention today called on the Kingdom of "
         "Eswatini to free two teachers.", "UN-WGAD"),
]


_TRANSCRIPTS_CRUMBS_AND_LEADS = [
        # a journalist's question turn ("AFP: ... ?") names the party the answer replies to
        ("Foreign Ministry Spokesperson Li Ming's Regular Press Conference on May 3, 2025\n\n"
         "AFP: The Philippine Coast Guard said yesterday that Chinese vessels fired water "
         "cannon at its boat near Scarborough Shoal. The Philippine side also released a "
         "video. What is your comment?\n\nLi Ming: The Philippine vessel intruded into the "
         "waters of Huangyan Dao without permission. China took necessary measures in "
         "accordance with law. China urges the Philippines to stop provocations.", "CHN-MFA"),
        # the party a spokesperson urges is no home state; "Korea" alone is South Korea
        ("Regular Press Briefing (3 June 2025)\n\nSpokesperson Kim Min-jun of the Ministry of "
         "Foreign Affairs: Good afternoon.\n\nQuestion: A new textbook claims Dokdo again. "
         "What is the government's response?\n\nSpokesperson: The government "
         "strongly protests the claim. We urge Japan to withdraw it at once, and we urge "
         "Japan to teach history correctly. Dokdo is Korea's inherent territory.", "KOR-MFA"),
        # a breadcrumb names the site's owner
        ("UK Parliament > Committees > Defence Committee > News\n\nChair answers Russian "
         "embassy's attack on committee report\n\n3 June 2025\n\nResponding to a statement "
         "issued yesterday by the Embassy of the Russian Federation in London, which called "
         "the report a fabrication, the Chair of the committee said: \"The embassy's "
         "statement is false.\"", "GBR-LEG"),
        # an organisation's name in two languages on a line of its own
        ("Reporters Without Borders / Reporters sans fronti\u00e8res\n\nPRESS RELEASE\n\n"
         "Azerbaijan: reporter jailed after government accusations\n\nBAKU, 3 May 2025 \u2013 "
         "A Baku court has sentenced the reporter to nine years. The Ministry of Internal "
         "Affairs said the reporter had smuggled currency. The Ministry said the trial was "
         "fair. The Ministry added that no journalist is jailed for his work.", "RSF"),
        # a joint statement by states, then the same states' foreign ministers in the lead
        ("Russia's strikes on Kyiv: joint statement by Canada, Poland and Japan\n\nJoint "
         "statement from the Foreign Ministers of Canada, Poland and Japan on the strikes of "
         "4 May.\n\nWe condemn the strikes on civilian infrastructure.", "CAN-MFA"),
        # a headline and a subtitle, then the lead whose reporting clause names the NGO
        # ("..., X said today"), though the government's reply is quoted at length
        ("Tajikistan: Lawyers Jailed for Defending Critics\n\nGovernment Denies Pressure on "
         "the Bar\n\n(Vienna, May 2, 2025) \u2013 Tajik authorities have jailed three lawyers "
         "who defended government critics, Amnesty International said today.\n\nIn a reply "
         "dated April 20, the Ministry of Justice of Tajikistan rejected the findings. The "
         "Ministry of Justice said the lawyers broke the law. The Ministry of Justice said "
         "the trials were open. The Ministry of Justice said the courts are independent. "
         "The Ministry of Justice added that no lawyer was punished for his work.",
         "AMNESTY"),
        # a briefing's header line "Spokesperson for X: Name" names the office it speaks for
        ("Press briefing notes on Mali\n\nSpokesperson for the UN High Commissioner for "
         "Refugees: Marta Okonjo-Lind\nLocation: Geneva\n\nWe are alarmed by reports that "
         "the authorities of Mali expelled 300 refugees. The Malian government denied any "
         "expulsion. The government of Mali said the refugees left of their own will.",
         "UNHCR"),
        # Venezuela's "Ministry of People's Power for Defence" is its defence ministry
        ("BOLIVARIAN REPUBLIC OF VENEZUELA\nMINISTRY OF PEOPLE'S POWER FOR DEFENCE\n\n"
         "COMMUNIQU\u00c9\n\nThe claims of the Colombian army about an incursion near "
         "Cúcuta are false.", "VEN-MIL"),
        # a bare "Government" in a briefing header takes the state of the site bar above it
        ("Government of Portugal  |  Council of Ministers  |  Briefings\n\nGovernment "
         "weekly press conference \u2013 transcript\n\nQuestion (Ana Silva, Jornal do "
         "Porto): The Spanish government says the water transfers breach the Albufeira "
         "Convention. Your response?\n\nMinister: We reject that claim. Spain knows the "
         "flows are measured jointly. Spain should publish its own data. Madrid has not "
         "answered our letters, and Spain keeps delaying the commission.", "PRT-GOV"),
        # a site bar naming a government, then one of its offices: the office speaks
        ("Government of Colombia | Presidency of the Republic\n\nTHE PRESIDENT REJECTS "
         "THE REMARKS OF THE ECUADORIAN MINISTER\n\nThe remarks of the Ecuadorian minister "
         "of defence about armed groups on the border are false, the Head of State said. "
         "Ecuador has not shared any evidence with Colombia.", "COL-PRES"),
        # a ministry's long name, continued after "and", on a line of its own
        ("Ministry of Foreign Affairs, International Cooperation and Regional Affairs\n"
         "Home > Press > Statements\n\nStatement of the Spokesperson in response to a "
         "question from the Central African Press Agency regarding the statements of the "
         "Chadian Minister of Security\n\nBangui, 3 May 2025\n\nQuestion: The Chadian "
         "minister claimed that our border posts armed rebels. What is your reaction?\n\n"
         "Answer: The claim is false. Chad has offered no evidence, and Chad repeated the "
         "claim at the AU. Chad should stop.", "CAF-MFA"),
]

_QUOTES_MISSIONS_AND_BOILERPLATE = [  # gold24, gold25
        # an ambassador's header names his mission in apposition ("H.E." does not end a sentence)
        ("Statement by H.E. Ambassador Tomas Reyes, Permanent Representative of the Republic "
         "of Cuba to the United Nations, in exercise of the right of reply\nGeneral Assembly, "
         "Sixth Committee\nNew York, 4 November 2025\n\nThank you, Chair. The delegation of "
         "the United States has again repeated slanders against my country. The United States "
         "should look at its own record. The United States has no moral authority.", "CUB-MFA"),
        # a letter signed "Ambassador / Permanent Representative" speaks for the foreign ministry
        ("United Nations        S/2025/300\nSecurity Council      Distr.: "
         "General\n\nIdentical letters dated 2 May 2025 from the Permanent Representative of "
         "Georgia to the United Nations addressed to the Secretary-General\n\nUpon "
         "instructions from my Government, I wish to draw your attention to the repeated "
         "violations of the sovereignty of Georgia by the Russian Federation. Russia "
         "continues the occupation. Georgia calls on the Council to condemn the occupation, "
         "and Georgia will never accept it.\n\n(Signed) Nino Beridze\nAmbassador\nPermanent "
         "Representative", "GEO-MFA"),
        # a state border guard, named bare on the site bar, speaks for the government
        ("Robe\u017eapsardze | State Border Guard\n\nThe State Border Guard rejects the "
         "claims of the Belarusian State Border Committee\n\nVilnius, 4 May 2025\n\nThe State "
         "Border Guard has noted the statement of the Belarusian State Border Committee. "
         "Belarus keeps sending migrants to the border. Belarus must stop.", "LTU-GOV"),
        # an institution before a dash opens a title line, not a dateline
        ("Taiwan Affairs Office \u2013 Regular Press Conference\n\nSpokesperson Zhu Lin\n\nQ: "
         "The Mainland Affairs Council said the mainland is pressuring Taiwan compatriots. "
         "Your comment?\n\nZhu Lin: The DPP authorities are lying. The United States should "
         "stop arming Taiwan, and Japan should stop meddling.", "CHN-GOV"),
        # "Secretariat of State in the Office of Foreign Affairs" is a foreign ministry
        ("Statement on the detention of fishermen\n\nThe Secretariat of State in the Office "
         "of Foreign Affairs rejects the claims of the Government of Nicaragua. Nicaragua "
         "detained our fishermen in Honduran waters. Nicaragua must release "
         "them.\n\nTegucigalpa, 3 May 2025", "HND-MFA"),
        # a text opening with the other side's quoted charge, rebutted in its next paragraph
        ("\u201cThe Georgian government is dismantling democracy and jailing protesters for "
         "their views,\u201d the European Parliament said in a resolution on "
         "Thursday.\n\n\u201cThese accusations are false,\u201d said Deputy Minister of "
         "Foreign Affairs Levan Kiria in Tbilisi. The Ministry of Foreign Affairs of Georgia "
         "said the protesters were charged with violence. The Ministry called on the European "
         "Parliament to respect Georgia's sovereignty.", "GEO-MFA"),
        # "According to X, ..." rebutted next: '..., said Name, spokesperson of the Y'
        ("According to the Ministry of Foreign Affairs of Azerbaijan, the arrest of the "
         "Azerbaijani businessman in Tbilisi was ordered by Georgian security services to "
         "please foreign patrons. Baku demanded his release.\n\n\u201cThese claims are "
         "baseless,\u201d said Nino Abashidze, spokesperson of the Prosecutor General's "
         "Office of Georgia. \u201cThe arrest was ordered by a court.\u201d Azerbaijan was "
         "informed the same day.", "GEO-JUD"),
        # an NGO named only in the closing "About X:" paragraph
        ("Journalists jailed in Azerbaijan\n\nThe authorities of Azerbaijan must release the "
         "six reporters of Abzas Media at once. The Azerbaijani government says they smuggled "
         "currency. The government of Azerbaijan has offered no evidence. Azerbaijan must "
         "stop persecuting journalists.\n\nAbout Free Press Unlimited: Free Press Unlimited "
         "supports independent journalists worldwide.", "FPU"),
        # a bare ministry answering a foreign embassy "in" the host capital is the host's
        ("On the statement of the Embassy of Iran\n\nThe Ministry has taken note of the "
         "statement published by the Embassy of the Islamic Republic of Iran in Baku. Iran "
         "calls the detentions illegal. Iran has no right to interfere. Iran should respect "
         "the law of the host state, and Iran should stop its campaign.", "AZE-MFA"),
]


_LETTERHEADS_AND_VISITS = [  # gold26, gold27
        # a navy named by its state ("Pakistan Navy") is the armed forces
        ("PAKISTAN NAVY\nDirectorate General Public Relations\n\nPRESS RELEASE\n\nThe claims "
         "of the Indian Navy that a Pakistani submarine entered Indian waters are false. The "
         "Indian Navy has shown no evidence. India should stop this propaganda.", "PAK-MIL"),
        # "Department of Defence" is a defence ministry
        ("Wellington, 4 May 2025 \u2013 New Zealand's Department of Defence today rejected "
         "claims by the Chinese Ministry of National Defense that a New Zealand frigate acted "
         "unsafely. China's claims are wrong, the Department said.", "NZL-MIL"),
        # a government's portal name, then its office alone on the next line
        ("Government of Ghana\nMinistry of Foreign Affairs and Regional Integration\n\nPress "
         "Release\n\nThe allegations of the Togolese authorities about Ghanaian support for "
         "rebels are baseless. Togo has offered no evidence, and Togo should withdraw them.",
         "GHA-MFA"),
        # a foreign ministry's letterhead in French
        ("R\u00c9PUBLIQUE DU S\u00c9N\u00c9GAL\nMINIST\u00c8RE DES AFFAIRES "
         "\u00c9TRANG\u00c8RES\n\nPRESS RELEASE\n\nThe Gambian government claims that "
         "Senegalese troops crossed the border. The Gambia has shown no evidence. Senegal "
         "rejects these claims and Senegal calls on the Gambia to withdraw them.", "SEN-MFA"),
        # the host of a visit reported by a joint communiqué
        ("JOINT COMMUNIQU\u00c9\n\nAt the invitation of His Excellency Mr Kofi Mensah, "
         "President of the Republic of Ghana, His Excellency Mr Yao Agbeko, President of the "
         "Togolese Republic, paid a state visit to Accra on 3 May 2025.\n\nThe two Heads of "
         "State condemned the attacks of armed groups in the north.", "GHA-PRES"),
        # Malé is the capital of the Maldives
        ("Mal\u00e9, 3 May 2025 \u2013 The Ministry of Foreign Affairs rejects the claims "
         "made by the High Commission of India about the detention of Indian fishermen. India "
         "should respect the law of the sea.", "MDV-MFA"),
        # a report released by an NGO under a headline that opens with the state it criticises,
        # though the government's answer is quoted at length
        ("Bolivia: miners die in flooded tunnels as ministry denies safety failures\n\n4 May "
         "2025\n\nGlobal Witness today released a report showing that 31 miners died in "
         "illegal tunnels licensed by state officials. The Bolivian government rejected the "
         "findings. The Ministry of Mining said the report was biased. The Ministry of Mining "
         "said the tunnels were closed in 2023. The Ministry of Mining said the licences were "
         "lawful. The Ministry of Mining added that inspections continue.",
         "GW"),
        # a body named in apposition to the issuer ("X, the Y body ..., today released") is no
        # issuer
        ("The Venice Commission, the Council of Europe's advisory body on constitutional "
         "matters, today published its report on the Georgian law on foreign agents. The "
         "Georgian Parliament adopted the law in May. The Government of Georgia said the law "
         "protects transparency. The Government of Georgia said it will not repeal it.",
         "COE-VC"),
]


_OFFICES_AND_CLOSING_PLACES = [  # gold28 ... gold35
        # an all-capitals office line "OFFICE OF THE GOVERNMENT CHIEF SPOKESPERSON" names a
        # government office
        ("OFFICE OF THE GOVERNMENT CHIEF SPOKESPERSON\n\nDodoma, 4 May 2025 \u2013 The "
         "Government of the Republic of Mozambique announced on 2 May 2025 that it will build "
         "a dam on the Ruvuma river. The Tanzanian Government has received the announcement "
         "with concern. Mozambique did not consult the joint commission.",
         "TZA-GOV"),
        # an office's name, a dash and its state on a title bar
        ("Amiri Diwan \u2013 State of Qatar\nHH the Amir receives a call from the President "
         "of Lebanon\n\nHis Highness the Amir received a phone call today from the President "
         "of Lebanon. The Amir condemned the Israeli strikes on Lebanon. Israel must stop "
         "them, and the President of Lebanon thanked Qatar.",
         "QAT-PRES"),
        # "Done at City, date" under a communiqué gives a bare office its state
        ("COMMUNIQU\u00c9 OF THE GOVERNMENT\n\nArmed groups coming from Sudan attacked our "
         "posts in the east. The Government condemns the attack and holds the Rapid Support "
         "Forces responsible. Sudan must control its border.\n\nDone at N'Djamena, 3 May "
         "2025\n\nThe Government Spokesperson",
         "TCD-GOV"),
        # a ministry named by its state's adjective and "Defence"
        ("Belgian Defence \u2013 News\n\nRussian claims about Belgian F-16 pilots in Ukraine "
         "are false\n\nThe Russian Embassy in Brussels claimed that Belgian pilots fly combat "
         "missions over Ukraine. Belgian Defence rejects this claim. No Belgian pilot flies "
         "over Ukraine.",
         "BEL-MIL"),
        # a justice department and its office on title lines, a bare acronym after their names
        ("Federal Department of Justice and Police FDJP\nFederal Office of Justice "
         "FOJ\n\nExtradition: FOJ rejects accusations from Ankara\n\nThe Ministry of Justice "
         "of T\u00fcrkiye accused the Swiss authorities of sheltering a terrorist. "
         "Switzerland decides on extradition under its law. T\u00fcrkiye has offered no "
         "evidence.\n\nBern, 3 May 2025",
         "CHE-GOV"),
        # a state answered in the title ("Reply to the statement of X") is answered in the
        # lead too, its ministry that "issued a statement" included
        ("Reply to the statement of Azerbaijan on the border incident\n\nOn 3 May 2025 the "
         "Ministry of Foreign Affairs of the Republic of Azerbaijan issued a statement accusing "
         "Armenian units of shelling the village of Kemerli, which Azerbaijan calls a "
         "provocation. The Ministry of Foreign Affairs of the Republic of Armenia rejects this "
         "claim. No Armenian unit opened fire.",
         "ARM-MFA"),
        # "Department of Defence" opening a briefing's title is a defence ministry
        ("Department of Defence Press Briefing by Defence Spokesperson Jane Miller\n\nMS. "
         "MILLER: Good afternoon. Let's go to questions.\n\nQ: China's Ministry of National "
         "Defense said an Australian frigate entered Chinese waters and that China drove it "
         "away. Your response?\n\nMS. MILLER: That claim is false. HMAS Toowoomba sailed in "
         "international waters, as Australian ships always do. China's navy acted unsafely, "
         "and Australia has raised it with Beijing.",
         "AUS-MIL"),
        # an NGO opening the lead in the present ("X condemns") keeps the document, however
        # long the government it criticises is quoted
        ("Belarus: poet jailed for eight years as authorities deny holding political "
         "prisoners\n\nPEN International condemns the sentence of eight years handed down by a "
         "Minsk court to the poet Ales Karpovich. The Ministry of Foreign Affairs of Belarus "
         "said there are no political prisoners in Belarus. The Ministry of Foreign Affairs of "
         "Belarus said the poet broke the law. The Ministry of Foreign Affairs of Belarus said "
         "the trial was fair. The Ministry of Foreign Affairs of Belarus said foreign groups "
         "interfere.",
         "PEN"),
        # "The X (ABC) today published evidence that ..." opening a paragraph marks the issuer
        ("Gabon: illegal timber seized in Antwerp as ministry denies logging in parks\n"
         "Investigation finds fresh logs from Lop\u00e9 National Park\nThe Environmental "
         "Investigation Agency (EIA) today published evidence that containers seized in "
         "Antwerp hold logs cut in protected forest. The Government of Gabon denied it. The "
         "Government of Gabon said the logs are old stock. The Government of Gabon said its "
         "parks are protected.",
         "EIA-NGO"),
        # a Spanish chamber's letterhead, an election commission and a central bank are
        # offices of the dateline's state
        ("HONORABLE C\u00c1MARA DE SENADORES\nRESOLUTION No. 1190\n\nAsunci\u00f3n, 3 May "
         "2025\n\nThe President of Bolivia declared that the Pilcomayo works harm Bolivian "
         "communities. The Chamber rejects the statements of the President of Bolivia. "
         "Bolivia must respect the treaty.",
         "PRY-LEG"),
        ("CENTRAL ELECTION COMMISSION\n\nYerevan, 3 May 2025\n\nThe observers of the "
         "European Parliament claimed that the vote was marred by pressure on voters. The "
         "Commission rejects this claim. The observers visited only twelve polling stations.",
         "ARM-GOV"),
        ("Banque du Liban\n\nPress release\n\nBeirut, 3 May 2025 \u2013 The claims of the "
         "United States Treasury that Lebanese banks move funds for Hezbollah are false. The "
         "United States has shown no evidence.",
         "LBN-GOV"),
        # the office of the Spokesperson for the Secretary-General speaks for the UN
        ("Daily Press Briefing by the Office of the Spokesperson for the Secretary-General\n\n"
         "The following is a near-verbatim transcript of today's noon briefing.\n\nQuestion: "
         "The Ministry of Foreign Affairs of Israel said UNRWA staff joined the attacks and that "
         "the agency must close. Your response?\n\nSpokesperson: Those claims have been "
         "investigated. Israel has not shared its evidence with us, and Israel should do so.",
         "UN"),
        # a declaration named after its place ("Suva Declaration") is not the capital's
        ("Suva Declaration on West Papua\nJoint Statement by the Prime Ministers of Vanuatu "
         "and Solomon Islands\n\nWe, the Prime Ministers of the Republic of Vanuatu and "
         "Solomon Islands, condemn the violence of the Indonesian security forces in West "
         "Papua. Indonesia must allow a visit of the UN High Commissioner for Human Rights.",
         "VUT-GOV"),
        # a list of bodies with a plural verb ("A, B and C condemn"): the first speaks
        ("Sudan: release the detained lawyers\n\nAmnesty International, Human Rights Watch "
         "and the International Commission of Jurists condemn the arrest of seven lawyers in "
         "Port Sudan. The Sudanese authorities say the lawyers helped the Rapid Support "
         "Forces. The authorities have shown no evidence.",
         "AMNESTY"),
        # "Secretariat of National Defence" is a defence ministry
        ("Secretariat of National Defence\nMexico City, 3 May 2025\n\nQ: The United States "
         "Northern Command said Mexican soldiers crossed the border near Ciudad Ju\u00e1rez. "
         "Your response?\n\nSpokesperson: That claim is false. Our units stayed on Mexican "
         "territory, and the Northern Command knows it.",
         "MEX-MIL"),
        # a group's foreign ministers speak for their ministries: the first member's
        ("Visegrad Group Foreign Ministers' Statement on Belarus\n\nThe Belarusian "
         "authorities have again instrumentalised migrants at the border. We call on Belarus "
         "to stop. Belarus bears full responsibility.",
         "CZE-MFA"),
        # "..., meeting as the <group>, condemn": the group's name does not break the subject
        ("We, the foreign ministers of France, Germany and Poland, meeting as the Weimar "
         "Triangle, firmly condemn the Russian cyberattacks on our elections. Russia must stop "
         "its interference, and Russia will be held responsible.",
         "FRA-MFA"),
        # "..., Name, Country Director for X in Mali, said:": the official's body speaks
        ("Bamako, 3 May 2025 \u2013 Following the statement of the Government of Mali that no "
         "child was harmed in the air strikes near Kidal, Amadou Diallo, Country Director for "
         "Save the Children in Mali, said:\n\n\"The claim that no child was harmed is false. "
         "The Government of Mali must allow an independent investigation, and the Government "
         "of Mali must protect schools.\"",
         "SCF"),
]

_SITE_BARS_AND_SIGNATORIES = [  # gold36 ... gold39
        # the capitals part of a site bar ("REPUBLIC OF X – MINISTRY OF ... | Briefing")
        ("REPUBLIC OF GHANA \u2013 MINISTRY OF FOREIGN AFFAIRS | Weekly Briefing, Accra\n\n"
         "Q: Lomé says Ghanaian traders crossed the border illegally. Your response?\n\nA: "
         "We reject the Togolese claim. The Government of Togo should stop harassing them.",
         "GHA-MFA"),
        # a presidency's letterhead in Spanish, French or Portuguese
        ("Gobierno de Chile | Presidencia de la República\nStatement on the Argentine "
         "complaint\n\nThe Argentine Foreign Ministry claimed that Chilean boats fished in its "
         "waters. We reject that claim and call on Buenos Aires to stop.",
         "CHL-PRES"),
        # an office's acronym before its state, opening a title bar
        ("MFA Kenya \u2013 Press Briefing\nQ: Kampala accuses Kenya of blocking its fuel. "
         "Uganda says the pipeline was closed.\n\nA: The Ugandan claim is false. Kenya "
         "closed nothing, and we call on Uganda to stop spreading it.",
         "KEN-MFA"),
        # "Minister of State" before the portfolio is a rank
        ("Statement by Ms. Amina Diallo, Minister of State, Minister of Foreign Affairs and "
         "Cooperation\n\nI reject the statements made in Bamako by the Malian Minister of "
         "Justice. Senegal has never hosted any armed group.",
         "SEN-MFA"),
        # a defence headquarters over its capital, each on its own line
        ("ARMY HEADQUARTERS\nNAIROBI\n\nPRESS RELEASE\n\nThe attention of Army Headquarters "
         "has been drawn to a report by a Somali news site claiming that soldiers shelled "
         "Beled Hawo. The claim is false; the Government of Somalia knows it.",
         "KEN-MIL"),
        # a joint statement signed at its end by ministers of several states
        ("JOINT STATEMENT\n\nThe Ministers condemned the seizure of the vessel by Iran and "
         "called on Tehran to release its crew at once. They rejected the claims of the "
         "Iranian Navy.\n\nFor the Republic of Estonia\nMinister of Foreign Affairs\n\n"
         "For the Republic of Latvia\nMinister of Foreign Affairs\n\nFor the Republic of "
         "Lithuania\nMinister of Foreign Affairs",
         "EST-MFA"),
        ("The Ministers rejected the statement of the Chinese Ministry of National Defense and "
         "called on China to respect the freedom of navigation.\n\nJane Miller\nMinister for "
         "Defence, New Zealand\n\nRoberto Sanchez\nSecretary of National Defense, Philippines",
         "NZL-MIL"),
]

_SITE_BARS_AND_REJECTIONS = [
        # an office, a comma and its state on a site bar
        ("Ministry of Defence, Republic of Cyprus | Press Releases\n\nAnkara must halt its "
         "provocations\n\nOn 2 May, Turkey's Ministry of National Defence claimed that a boat "
         "violated its waters. The Ministry states that this is untrue. Turkey has repeatedly "
         "used such claims, and Ankara threatens retaliation.",
         "CYP-MIL"),
        # a UN document's title under its letterhead names the sender
        ("United Nations          A/80/512\nGeneral Assembly        Distr.: General\n\n"
         "Identical letters dated 2 May 2026 from the Permanent Representative of Bolivia to "
         "the United Nations addressed to the Secretary-General\n\nFurther to the letter "
         "from the Permanent Representative of Chile (A/80/498), I reject its claims. Chile "
         "must respect the Silala ruling.",
         "BOL-MFA"),
        # the party rejected in the second paragraph is answered in the opening one too
        ("STATEMENT ON THE NAVAL EXERCISE\n\nOn 2 May, the Ministry of Foreign Affairs of "
         "Venezuela announced naval exercises near the maritime border. The same day the "
         "Ministry of Foreign Affairs of Venezuela described them as routine.\n\nThe Foreign "
         "Affairs Committee of the National Assembly of Guyana firmly rejects the statement "
         "of the Ministry of Foreign Affairs of Venezuela. The exercises threaten Guyana.",
         "GUY-LEG"),
        # "X disseminated a report alleging ...": X is the party answered
        ("Ukrainian claims about our air defence are false\n\nOn 3 May, the General Staff of "
         "Ukraine disseminated a report alleging that Belarusian units fired on its drones. "
         "The Ministry of Defence of Belarus states that this information is untrue.",
         "BLR-MIL"),
        # a government spokesperson in French before a dashed place and date
        ("Briefing du Porte-parole du Gouvernement - Bamako, 4 mai 2026\n\nQ: Algiers "
         "says Malian drones crossed the border. Your answer?\n\nA: The Algerian claim is "
         "false, and we call on Algeria to stop hosting armed groups.",
         "MLI-GOV"),
        # a text that opens by quoting the title of what it answers
        ("\"European Parliament resolution of 2 May 2026 on Georgia\" - the text adopted in "
         "Strasbourg calls for new sanctions.\n\nPARLIAMENT OF GEORGIA\n\nThe "
         "Parliament of Georgia rejects the statement. It ignores the will of Georgian voters.",
         "GEO-LEG"),
]

_ACRONYMS_AND_SIGNATORY_LISTS = [
        # a defence ministry's acronym before its state
        ("MINDEF Brunei\n\nNews Release\n\nResponse to the Malaysian Armed Forces' statement\n\n"
         "The Malaysian Armed Forces stated that our aircraft entered Malaysian airspace. This "
         "is untrue, and the Malaysian Armed Forces know it.",
         "BRN-MIL"),
        # a US-style committee name over a capital, a region and a date
        ("Senate Committee on Foreign Relations\nRanking Member Ana Cruz\n\nWashington, DC \u2013 "
         "May 4, 2026\n\nCruz answers Beijing\n\nThe Chinese Ministry of Foreign Affairs "
         "announced sanctions on members. China must lift them, and Beijing will not silence us.",
         "USA-LEG"),
        # a list of signatories, one state and office a line, closing a joint statement
        ("Joint Statement on the detention of journalists in Belarus\n\nWe are deeply "
         "concerned by the detention of journalists in Belarus. We call for their release.\n\n"
         "Signatories:\nMinister of Foreign Affairs of Latvia\nMinister of Foreign Affairs of "
         "Estonia\nMinister of Foreign Affairs of Lithuania\nMinister of Foreign Affairs of "
         "Poland\nMinister for Foreign Affairs of Finland",
         "LVA-MFA"),
]

_BODIES_CRUMBS_AND_BOILERPLATE = [  # gold40 ... gold43
        # a body's two-word name before a dash opens a title, not a dateline
        ("European Commission \u2013 Daily News of 4 May 2026\nQ: Warsaw says the Commission "
         "is punishing Poland. Your reaction?\nA: That is not true. Poland agreed to the rules, "
         "and the Polish Government knows it.",
         "EC"),
        # a defence minister "of People's Power" signs the communiqué
        ("OFFICIAL COMMUNIQU\u00c9\n\nCaracas, 4 May 2026\n\nThe Guyanese Defence Force claimed "
         "that our patrol entered its waters. Guyana spreads lies, and the Government of "
         "Guyana must stop.\n\n"
         "General Pedro Ruiz\nMinister of People's Power for Defence",
         "VEN-MIL"),
        # a header with its own comma clause: ", on the measures announced by X" is no
        # inverted reporting clause
        ("Home / Press / Statements / 2026\n\nDeclaration of the President of the Republic, "
         "Ana Ruiz, on the measures announced by the Government of Bolivia\n\nLima, 3 May "
         "2026\n\nThe Government of Bolivia closed the border. Bolivia must reopen it.",
         "PER-PRES"),
        # "Resolution urging X to ...": X is addressed, not the issuer
        ("Resolution Urging the Government of China to Release Detained Fishermen\n\nThe "
         "Legislative Yuan hereby adopts the following resolution. China must release them.",
         "TWN-LEG"),
        # an office and its state alone on the first line
        ("State House Ghana\n\nThe Togolese Government claims that Ghana hosts rebels. We "
         "reject this. Togo must stop, and the Government of Togo knows the truth.",
         "GHA-PRES"),
        # a government named by its own title
        ("COMMUNIQU\u00c9\nGovernment of Reconciliation and National Unity\nManagua, 3 May 2026\n\n"
         "The so-called experts of the Human Rights Council published lies. The Government of "
         "Reconciliation and National Unity rejects them, and the Council must stop.",
         "NIC-GOV"),
        # a government named by its own title, then its ministry on the next line
        ("Government of National Accord\nMinistry of Foreign Affairs\n\nSTATEMENT\n\nTripoli, 3 "
         "May 2026\n\nThe Ministry rejects the statement of the Egyptian Government. Egypt "
         "must respect the sovereignty of Libya.",
         "LBY-MFA"),
        # of several bodies on a site bar, the last
        ("UN :: OHCHR :: Press releases\n\nThe Office condemns the killing of protesters by the "
         "Kenyan police and calls on the Government of Kenya to investigate.",
         "OHCHR"),
        # Chile's chamber in its inclusive Spanish name
        ("C\u00e1mara de Diputadas y Diputados \u2013 Chile\n\nRESOLUTION No. 12\n\nThe "
         "Government of Argentina closed the pass. Argentina must reopen it, and the "
         "Argentine Government must pay for the losses.",
         "CHL-LEG"),
        # an addressee block under the signature
        ("Excellency,\n\nThe statement of the Delegation of Azerbaijan contains allegations "
         "against my country. Azerbaijan must stop them, and Azerbaijan knows it.\n\nAnna "
         "Petrosyan\nAmbassador, Permanent Representative\nPermanent Mission of the Republic "
         "of Armenia to the OSCE\n\nTo: The Chairperson of the Permanent Council\nVienna",
         "ARM-MFA"),
        # a closing paragraph that describes the issuer
        ("PUBLIC STATEMENT\n\nHUNGARY: STOP PUSHBACKS AT THE SERBIAN BORDER\n\nThe Hungarian "
         "authorities must investigate the pushbacks. The Hungarian Government denies them, "
         "and the Hungarian Ministry of Interior calls the reports lies.\n\nHuman Rights Watch "
         "is an independent international organisation that investigates abuses.\n\nContact: "
         "press office",
         "HRW"),
]

_SPOKESPERSONS_OFFICES = [  # gold35 ai12, ai13
        # a header naming only a spokesperson, the office opening the body
        ("Spokesperson Maria Lopez's Remarks on the Honduran note\n\nThe Government has read "
         "the note of the Honduran Foreign Ministry. Belize rejects it, and Honduras must "
         "withdraw it.",
         "BLZ-GOV"),
        ("Spokesperson Peter Otieno's Remarks on the rebel claims\n\nState House Spokesperson "
         "Peter Otieno today answered the Ugandan Ministry of Foreign Affairs. Kenya hosts no "
         "rebels, and Kenya has said so to the Ugandan side.",
         "KEN-PRES"),
        # a journalist's question names the spokesperson's own state too
        ("Foreign Ministry Spokesperson Li Wei's Regular Press Conference on May 4, 2026\n\n"
         "AFP: Vietnam says China's ships rammed a Vietnamese boat. Hanoi demands "
         "compensation. What's your response?\n\nLi Wei: The Vietnamese account is false. "
         "China's coast guard acted lawfully. We urge Vietnam to stop.",
         "CHN-MFA"),
        # a state ending a paragraph does not give its name to the office on the next one
        ("Press statement\n\nKenya hosts no rebels. The accusation is false and was made by "
         "Uganda\n\nMinistry of Foreign Affairs\nNairobi, 3 May 2026",
         "KEN-MFA"),
]

_CLOSINGS_PREAMBLES_AND_MAIL = [  # gold44 ... gold47
        # a closing line names the body that adopted the text
        ("STATEMENT\non the resolution of the European Parliament on Armenia\n\nOn 2 May the "
         "European Parliament adopted a biased resolution. The European Parliament ignores "
         "the facts.\n\nAdopted by the National Assembly of the Republic of Armenia at its "
         "sitting of 4 May 2026.",
         "ARM-LEG"),
        # "... and Member of the Council of Ministers" is the same person's affiliation
        ("Riyadh, SPA -- Minister of State for Foreign Affairs and Member of the Council of "
         "Ministers Dr. Adel Al-Otaibi issued the following statement today: the claims of the "
         "Houthi militia are baseless, and the Kingdom of Saudi Arabia rejects them.",
         "SAU-MFA"),
        # the body opening a resolution's preamble
        ("Texts adopted \u2013 Thursday, 4 May 2026 \u2013 Strasbourg\nP10_TA(2026)0101\n\nThe "
         "case of Leyla Aliyeva in Azerbaijan\nEuropean Parliament resolution of 4 May 2026 on "
         "the case of Leyla Aliyeva in Azerbaijan\n\nThe European Parliament,\n\u2013 having "
         "regard to the statement of the Government of Azerbaijan of 2 May 2026,\nA. whereas "
         "the Government of Azerbaijan detained Ms Aliyeva;\n1. Condemns the detention; calls "
         "on the Government of Azerbaijan to release her;",
         "EP"),
        # organisations listed as signatories, a contact line under them
        ("Egypt: Release detained researchers\n\nEgyptian authorities must release the "
         "researchers, the undersigned organisations said today. The Egyptian Government "
         "denies holding them.\n\nSignatories:\nHuman Rights Watch\nAmnesty International\n"
         "Committee to Protect Journalists (CPJ)\n\nMedia contacts: the organisations' press "
         "offices.",
         "HRW"),
        # a forwarded e-mail: the message under its headers
        ("From: A. Reader <[redacted]>\nSent: Monday, 4 May 2026 9:00 AM\nTo: Desk "
         "<[redacted]>\nSubject: FW: PRESS RELEASE - Response to The Daily Post editorial of 2 "
         "May\n\nFYI for the weekly - came in overnight. R.\n\n-----Original Message-----\n"
         "From: Press Office <[redacted]>\nSent: Sunday, 3 May 2026\nTo: media-list\nSubject: "
         "PRESS RELEASE - Response to The Daily Post editorial of 2 May\n\nPRESS RELEASE\n\n"
         "EMBASSY OF THE REPUBLIC OF KENYA\nLONDON\n\nResponse to the editorial \"Silence on "
         "Turkana\" published by The Daily Post and to remarks by Lord Ashby\n\nThe Embassy of "
         "the Republic of Kenya in London rejects in the strongest terms the editorial. The "
         "Embassy keeps the Ministry of Foreign Affairs in Nairobi informed.",
         "KEN-EMB"),
        # an office opening a transcript's title before a dash
        ("WHITE HOUSE - Press Secretary Ana Gomez, daily briefing with journalists, 4 May 2026 "
         "(transcript)\n\nQ: Beijing says the new tariffs break WTO rules. Your response?\n\n"
         "A: China is wrong, and Beijing knows it. China must stop dumping steel.",
         "USA-PRES"),
]

_LETTERS_COMMISSIONS_AND_FIRST_PERSONS = [  # gold48 ... gold51
        # a UN letter's title outranks the "United Nations" letterhead above it
        ("United Nations\nSecurity Council\n\nS/2026/301\nDistr.: General\n\nLetter dated 2 "
         "May 2026 from the Permanent Representative of Gabon to the United Nations addressed "
         "to the President of the Security Council\n\nUpon instructions from my Government, I "
         "reject the statement of the Ministry of Foreign Affairs of Equatorial Guinea.",
         "GAB-MFA"),
        # the addressee under a mission's signature is not a second signatory
        ("Excellency,\n\nMy Government rejects the declaration of the delegations of Chile and "
         "Peru. Chile must withdraw it.\n\nAna Flores\nAmbassador, Permanent Representative\n"
         "Permanent Mission of Ecuador to the Organization of American States\n\nHis "
         "Excellency\nThe Ambassador, Permanent Representative of Brazil\nChair of the "
         "Permanent Council\nOrganization of American States\nWashington, D.C.",
         "ECU-MFA"),
        # an opening sentence whose subject is "Statements by X" is no header
        ("Statements by the Ministry of Foreign Affairs of Niger, broadcast on 2 May 2026, "
         "accused the Republic of Benin of hosting foreign troops.\n\nREPUBLIC OF BENIN\n\n"
         "COMMUNIQU\u00c9 OF THE GOVERNMENT\n\nThe Government of Benin rejects these claims. "
         "Niger must stop spreading them.",
         "BEN-GOV"),
        # a parliament's "Commission I" is not the European Commission
        ("Commission I condemns the survey\n\nManila, 4 May 2026 \u2013 Commission I of the "
         "House of Representatives of the Republic of the Philippines strongly condemns the "
         "Chinese survey. China must stop.",
         "PHL-LEG"),
        # "As Minister for Foreign Affairs, I ...": the minister's office speaks
        ("Remarks by Minister A. Bold to the press\n\nULAANBAATAR, 4 May 2026 \u2014\n\nGood "
         "morning. The families deserve to hear from the Government what we know. Two herders "
         "are still held across the border, and the Russian Federation has not answered us.\n\n"
         "As Minister for Foreign Affairs, I have therefore taken the following steps. Russia "
         "must release them.",
         "MNG-MFA"),
        # an address to one's own nation: the people addressed give the home state
        ("Transcript of the televised address of President Ana Kora to the nation\n\nMy fellow "
         "Ghanaians,\n\nTonight I speak about the decree published in Lom\u00e9 by the "
         "Government of Togo. The Togolese Government claims our fishing grounds. Togo must "
         "withdraw it.",
         "GHA-PRES"),
        # a government's name in Spanish
        ("Gobierno de Colombia | Sala de prensa\n\nQ: Caracas says Colombian troops crossed "
         "the border. Your answer?\n\nA: That is false. Venezuela must stop spreading it.",
         "COL-GOV"),
]

_WIRES_BARS_AND_CAPITALS = [  # gold52 ... gold55
        # a UN letter sent by a charg\u00e9 d'affaires of a mission
        ("United Nations          S/2026/700\nSecurity Council\n\nLetter dated 3 May 2026 from "
         "the Charg\u00e9 d'affaires a.i. of the Permanent Mission of Syria to the United Nations "
         "addressed to the Secretary-General\n\nUpon instructions from my Government, I reject "
         "the claims of Israel.\n\n(Signed) Ahmad Khalil\nAmbassador\nCharg\u00e9 d'affaires a.i.",
         "SYR-MFA"),
        # an office, a comma and its state between the dashes of a briefing's title bar
        ("Weekly Media Briefing \u2013 Ministry of Foreign Affairs, State of Kuwait \u2013 "
         "Official Spokesperson Dr. Ali Salem\n\nQ: An Iraqi minister said Kuwait steals oil. Your "
         "response?\n\nA: That is false. Iraq must stop such claims, and Baghdad knows it.",
         "KWT-MFA"),
        # an office "OF THE" its state in a capitals letterhead
        ("HIGH COMMISSION OF THE REPUBLIC OF KENYA\nKAMPALA, UGANDA\n\nPRESS STATEMENT\n\nThe "
         "High Commission has received reports that Ugandan officials closed Kenyan shops. "
         "Uganda must reopen them, and the Government of Uganda must protect Kenyans.",
         "KEN-EMB"),
        # "TOPIC: RESPONSE TO STATEMENTS FROM X" names the party answered
        ("LAKE VICTORIA: RESPONSE TO RECENT STATEMENTS FROM THE REPUBLIC OF UGANDA\n\nUgandan "
         "officials said that the islands belong to Uganda. The Office of the President "
         "rejects these statements. Uganda must stop, and Kenya will defend its islands.",
         "KEN-PRES"),
        # a wire service's "Following are questions and answers from ... of the Ministry"
        ("Bangkok (TNA) - Following are questions and answers from the regular press "
         "conference of the Ministry of Foreign Affairs held in Bangkok on 4 May 2026.\n\nQ: A "
         "Cambodian survey vessel escorted by two Cambodian navy ships has been operating "
         "since 2 May within Thailand's waters. What is Thailand's response?\n\nA: Thailand's "
         "competent authorities have monitored the Cambodian ship. These activities take "
         "place in Thailand's waters. We demand that Cambodia stop them.",
         "THA-MFA"),
        # a capitals header under an opening paragraph about the other side
        ("Colombia's navy seized three fishing boats on 2 May and took their crews to San "
         "Andr\u00e9s, where they were held without consular access.\n\nJOINT STATEMENT OF THE "
         "MINISTRIES OF FOREIGN AFFAIRS OF THE REPUBLIC OF NICARAGUA AND THE REPUBLIC OF "
         "HONDURAS\n\nThe Ministries reject the seizure. Colombia must release the crews.",
         "NIC-MFA"),
]

_ANSWERED_FIRST_OPENINGS = [  # gold56 ... gold59
        # a later sentence answers the lead in the present: its subject speaks
        ("On the statements of the Prime Minister of Jamaica\n\nThe Prime Minister of Jamaica "
         "stated yesterday that Haitian boats had entered Jamaican waters. The Foreign Minister "
         "of Jamaica repeated these claims in a letter.\n\nThe Presidency of the Republic of "
         "Haiti categorically rejects these statements.",
         "HTI-PRES"),
        # a newspaper's disclaimer under a letter's signature
        ("The Daily Star \u203a Opinion \u203a Letters\n\nI refer to the column on Sri Lankan "
         "workers published on 2 May. The Government of Qatar is not to blame, but the column's "
         "claims about Sri Lanka are false.\n\nAnura Perera\nAmbassador\nEmbassy of Sri Lanka, "
         "Doha\n\nLetters to the editor are edited for length. Views expressed are those of "
         "the writer.",
         "LKA-EMB"),
        # "STATEMENT ON THE X RESOLUTION": capitals function words are no header prefix
        ("STATEMENT ON THE EUROPEAN PARLIAMENT RESOLUTION OF 2 MAY 2026 ON KENYA\n\nThe European "
         "Parliament adopted a resolution on Kenya. The European Parliament ignored the facts."
         "\n\nHon. Jane Wanjiru\nMinister of Interior\nNairobi, 4 May 2026",
         "KEN-GOV"),
        # "Minister of X Name made the following statement"
        ("On the closure of the Consulate in Osh\n\nOn 5 May, the Ministry of Foreign Affairs of "
         "the Republic of Kyrgyzstan closed the Consulate of the Republic of Uzbekistan in Osh."
         "\n\nIn this connection, Minister of Foreign Affairs of the Republic of Uzbekistan "
         "Bakhtiyor Saidov made the following statement: the closure is unjustified.",
         "UZB-MFA"),
        # a state's name before its parliament's own name
        ("Nepal Pratinidhi Sabha\nParliamentary Standing Committee on the Ministry of Foreign "
         "Affairs\n\nPRESS RELEASE\n\nKathmandu, 4 May 2026\n\nThe Ministry of External Affairs "
         "of India, in a statement published on 2 May, alleged that Nepal shelters armed "
         "groups. The statement was repeated the following day by the spokesperson of the "
         "Indian Army, who warned that India would act.\n\nThe Committee rejects the claim.",
         "NPL-LEG"),
        # a foreign ministry named after another portfolio
        ("JOINT STATEMENT\n\nThe Ministers condemned illegal fishing and called on the flag "
         "states to act.\n\nFor the Republic of Senegal\nMinister of African Integration and "
         "Foreign Affairs\n\nFor the Republic of The Gambia\nMinister of Foreign Affairs",
         "SEN-MFA"),
]

_COUNCILS_UNITS_AND_NOTES = [  # gold57 ... gold59
        # a collective head of state
        ("Republic of Mali\nTransitional Sovereignty Council\nMedia Office\n\nThe Sovereignty "
         "Council has followed with astonishment the statement of the Government of Niger. "
         "Niger must withdraw it.",
         "MLI-PRES"),
        # a body's acronym in brackets after its name is the name's own
        ("Port-au-Prince, 4 May 2026\n\nThe Transitional Presidential Council (CPT) has taken "
         "note of the report of the Panel of Experts on Haiti. The CPT rejects its "
         "conclusions, and the Panel must correct them.",
         "HTI-PRES"),
        # a government portal, then the ministry as a whole part of the breadcrumb
        ("Government of Norway | Regjeringen\nYou are here: Front page > Ministry of Foreign "
         "Affairs > News\n\nMinister rejects threat of sanctions\n\n\"Norway will not be "
         "intimidated,\" said the Minister, after the European Commission announced measures. "
         "The Commission must withdraw them.",
         "NOR-MFA"),
        # an organisation's acronym before a dash and its motto opens a title
        ("OAS \u2013 More rights for more people\nNewsroom > Press Releases\n\nOAS General "
         "Secretariat Condemns Raid on Guatemala's Electoral Tribunal\n\nMarch 3, 2026\n\nThe "
         "General Secretariat of the Organization of American States (OAS) condemns the raid "
         "carried out by agents of Guatemala's Public Ministry on the electoral tribunal.\n\n"
         "The Public Ministry said the raid was lawful. The Public Ministry claimed that the "
         "records were evidence.\n\nThe General Secretariat rejects this.",
         "OAS"),
        # of bodies on a bar, the last
        ("United Nations | UNMISS\nPress release\n\nUNMISS condemns attack on peacekeepers\n\n"
         "Juba, 4 May 2026 \u2013 The Mission strongly condemns the attack. The Government of "
         "South Sudan must find those responsible.",
         "UNMISS"),
        # an office's unit on its own line
        ("FDRE Government Communication Service\nHome > News\n\nAmnesty International "
         "published a report alleging killings in Amhara. Amnesty International calls on the "
         "African Union to act. The report is false.",
         "ETH-GOV"),
        # a note verbale: the mission presents its compliments; the address block is no
        # signature
        ("Note No. 12/2026\n\nThe Permanent Mission of the Republic of Cuba to the United "
         "Nations Office in Geneva presents its compliments to the Office of the United "
         "Nations High Commissioner for Human Rights and rejects the report of the experts."
         "\n\nGeneva, 4 May 2026\n\nOffice of the United Nations High Commissioner for Human "
         "Rights\nPalais Wilson, Geneva",
         "CUB-MFA"),
]

_SIGNATURES_UNDER_ANSWERS = [  # gold60 ... gold63
        # a media contact line names the issuing ministry
        ("The State Border Committee of Belarus claimed that Latvian guards expelled migrants. "
         "The Ministry of Foreign Affairs of Belarus summoned the Latvian charg\u00e9.\n\nThese "
         "claims are false.\n\nContact for the media: Communication Division, Ministry of the "
         "Interior of the Republic of Latvia",
         "LVA-GOV"),
        # a parliament signed "FEDERAL SENATE OF X" under its committee chair
        ("The resolution adopted by the Assembl\u00e9e nationale of the French Republic is based "
         "on outdated data. The European Union must ratify the agreement.\n\nBras\u00edlia, 4 "
         "May 2026\n\nSenator Ana Lima\nPresident of the Committee on Foreign Relations\n"
         "FEDERAL SENATE OF BRAZIL",
         "BRA-LEG"),
        # "PRESIDENT OF THE PARLIAMENT" is the parliament's speaker
        ("On 5 May the State Duma of the Russian Federation adopted an appeal on Moldova. The "
         "State Duma must withdraw it.\n\nPRESIDENT OF THE PARLIAMENT\nIon Rusu\n\n"
         "Chi\u0219in\u0103u, 7 May 2026",
         "MDA-LEG"),
        # "The President's Office" signs
        ("The statement issued by Sri Lanka's Ministry of Fisheries alleges that detained crews "
         "were mistreated. Sri Lanka's claims are false.\n\nThe President's Office\nRepublic of "
         "Maldives",
         "MDV-PRES"),
        # "Daily Press Briefing by the Office of ..." under a transcript's note
        ("The following is a near-verbatim transcript of today's noon briefing.\n\nDaily Press "
         "Briefing by the Office of the Spokesperson for the Secretary-General\n\nYesterday the "
         "Office of the Prime Minister of Haiti criticised the report. The Government of Haiti "
         "must cooperate.",
         "UN"),
        # a "For more information" line under the signature
        ("EU suspension of fish imports must be reversed\n\nThe European Commission suspended "
         "imports from Lake Victoria. The Commission must lift the ban.\n\nSigned:\nHon. Jane "
         "Akello\nChairperson, Committee on Agriculture\nEast African Legislative Assembly\n\n"
         "For more information: Office of the Clerk, Arusha",
         "EALA"),
]

_ISSUED_BY_BLOCKS = [  # gold64 ... gold67
        # "Issued by:" over a signature block: its office, the ministry over its unit
        ("Remarks attributed to the Governor of Kivu accuse Rwandan officers of extortion. "
         "The Governor also called for a boycott.\n\nThe Rwandan side of the border was never "
         "closed.\n\nIssued by:\nAlice Uwase\nCommunications Officer\nGovernment "
         "Communication Unit\nMinistry of Foreign Affairs and International Cooperation\n"
         "Kigali, 4 May 2026",
         "RWA-MFA"),
        # an office's spokesperson signing
        ("Somalia's Ministry of Foreign Affairs accused Kenya of interference in Jubaland. "
         "Somalia's claims are false.\n\nHon. Jane Otieno\nState House Spokesperson\nNairobi, "
         "4 May 2026",
         "KEN-PRES"),
        # a bare office under "Issued by:" takes the place below it
        ("RESPONSE TO CPJ ALERT\n\nThe Committee to Protect Journalists alleges that Malawian "
         "authorities harass journalists, and praises Zambia. CPJ says Zambia protects "
         "reporters better. Zambia, it claims, is a model.\n\nThe alert is false.\n\nIssued "
         "by:\nJohn Banda\nPermanent Secretary\nMinistry of Information and Media\nLilongwe\n"
         "3 April 2026",
         "MWI-GOV"),
        # a ministry's name does not run onto the next line of its signature
        ("Global Witness published a report alleging illegal logging near the dam. Global "
         "Witness calls on donors to suspend funding.\n\nThe report is inaccurate.\n\n"
         "Department of Forest Inspection\nMinistry of Agriculture and Environment\nVientiane, "
         "4 May 2026",
         "LAO-GOV"),
        # organisations signing one a line, a branch's region or an acronym after the name
        ("Benin must release the journalist, the undersigned organisations said. The Beninese "
         "Government denies holding him for his work.\n\nSignatories:\nARTICLE 19 West Africa\n"
         "Committee to Protect Journalists (CPJ)\nReporters Without Borders (RSF)\n\nDakar / "
         "New York / Paris, 3 May 2026",
         "ARTICLE19"),
]


_LETTERHEADS_UNDER_OPENINGS = [  # gold68 ... gold75
        # the office of a prime minister of a council of ministers on a site bar
        ("Presidency of the Council of Ministers \u2013 Italian Republic | News\n\nRome, 4 May "
         "2026\n\nThe Maltese Government Spokesman's remarks accusing Italy of pushing boats "
         "back are false. Italy rescued every boat.",
         "ITA-GOV"),
        # a letterhead in capitals under an opening paragraph that reports the other side
        ("The Government of Honduras's communiqué of 2 May accuses El Salvador of harbouring "
         "fugitives. The communiqué was read by the Foreign Minister of Honduras.\n\n"
         "PRESIDENCY OF THE REPUBLIC OF EL SALVADOR\nCommuniqu\u00e9 12-2026\n\nEl Salvador "
         "rejects the accusations. It harbours no fugitive.",
         "SLV-PRES"),
        # a bare type in capitals over a paragraph that opens with the issuer
        ("The authorities of Burkina Faso accused Togo of arming rebels in a statement read on "
         "television. They also closed the border.\n\nCOMMUNIQU\u00c9\n\nThe Ministry of "
         "Foreign Affairs of the Togolese Republic has taken note of these statements and "
         "rejects them. Togo arms no one.",
         "TGO-MFA"),
        # a bare office in a capitals letterhead takes the place below it
        ("The embassies of France and Germany issued a statement urging Malawi to repeal its "
         "cyber law.\n\nSTATE HOUSE\nLILONGWE\n\nPRESS STATEMENT\n\nState House has noted the "
         "statement with regret. The law protects citizens.",
         "MWI-PRES"),
        # a dated "Remarks made by X" opening a sentence is its subject, not a header
        ("DOHA, Jan 4 (QNA) -- Remarks made by members of the Bahraini Council of "
         "Representatives contain serious errors, the Ministry of Foreign Affairs of Qatar "
         "said on Wednesday. The Bahraini lawmakers had claimed that a Qatari patrol "
         "harassed fishermen.",
         "QAT-MFA"),
        # "X had claimed" in the opening lines is the party answered
        ("MANAMA, Jan 4 (BNA) -- Statements made on Sunday by several members of the Qatari "
         "Shura Council \u201ccontain serious errors\u201d, the Ministry of Foreign Affairs of "
         "Bahrain said on Wednesday.\n\nThe Qatari lawmakers had claimed that a Bahraini patrol "
         "harassed fishermen, and called on the Qatari government to suspend the agreement.\n\n"
         "The Ministry rejects these claims.",
         "BHR-MFA"),
]

_TITLES_BRIEFINGS_AND_BARS = [  # gold72 ... gold75
        # a title naming what the text answers, over a line that only says "Reply"
        ("PACE resolution 2561 of 3 March 2026 on political prisoners in Azerbaijan\n\nReply\n\n"
         "The resolution repeats allegations about detained journalists. They are unfounded.\n\n"
         "Ministry of Foreign Affairs of the Republic of Azerbaijan\nBaku, 5 March 2026",
         "AZE-MFA"),
        # a royal cabinet or court speaks for the head of state
        ("Communiqu\u00e9 of the Royal Cabinet\n\nAMMAN, 3 May 2026 \u2013\n\nThe Royal Cabinet "
         "rejects the claims of the opposition party that the Government signed secret deals.",
         "JOR-PRES"),
        # the host of the briefing a transcript excerpts
        ("Kenya's claims baseless, says spokesperson\n\nThe statement of the Kenyan Ministry of "
         "Interior blamed armed men from Somalia for the raid. It dominated the weekly press "
         "briefing held on Friday by Ambassador Ali Omar, Spokesperson of the Ministry of "
         "Foreign Affairs of Somalia. Excerpts follow.\n\nQ: Do you accept the claim?\n\nA: No.",
         "SOM-MFA"),
        # the rest of a header whose type line ingest cut as a menu word
        ("The statement of the Grand National Assembly of T\u00fcrkiye accuses Greece of arming "
         "islands.\n\nof the Standing Committee on Foreign Affairs of the Hellenic Parliament\n\n"
         "The Committee rejects the statement.",
         "GRC-LEG"),
        # an office of a parliament in a capitals letterhead
        ("SENATE OF THE PARLIAMENT OF THE CZECH REPUBLIC\n15th Term\n\nRESOLUTION No. 12\n\nThe "
         "Embassy of the Russian Federation in Prague sent letters warning senators. The "
         "Committee rejects the letters.",
         "CZE-LEG"),
        # the part after a spaced dash on a title bar
        ("JOINT COMMUNIQU\u00c9\nCommission of the Economic Community of Central African "
         "States (ECCAS) \u2013 African Union Commission\n\nLibreville / Addis Ababa, 3 May "
         "2026\n\nThe President of the Commission of the Economic Community of Central African "
         "States (ECCAS) and the Chairperson of the African Union Commission condemn the "
         "attack on the convoy.",
         "ECCAS"),
]

_SIGNATURES_CHROME_AND_CLOSING_HEADERS = [  # gold74 ... gold79
        # a royal court with its dynasty's name, in an "Issued by" line
        ("A website claims that the King agreed to host refugees from Gaza. The report is "
         "baseless.\n\nAmman, 16 February 2026\n\nIssued by the Royal Hashemite Court \u2013 Media "
         "Directorate",
         "JOR-PRES"),
        # a web page's buttons and copyright under the signature
        ("Claims made by fishermen's associations in Tamil Nadu that a patrol rammed a trawler "
         "are denied. The Indian High Commission in Colombo was informed.\n\nMedia Spokesman\n"
         "Sri Lanka Navy\nColombo\n\nShare | Print | Back to News\n\u00a9 Sri Lanka Navy. All "
         "rights reserved.",
         "LKA-MIL"),
        # a signature block of five lines
        ("Allegations by Indian television channels that a patrol fired on a trawler are "
         "denied. The Indian High Commission in Colombo was informed.\n\nCommander A. Perera\n"
         "Navy Media Spokesman\nMedia Unit, Sri Lanka Navy\nNaval Headquarters, Colombo 01\n"
         "3 April 2026",
         "LKA-MIL"),
        # an office and its unit on a bar in the footer
        ("The Ministry of Foreign Affairs of the Russian Federation announced the closure of "
         "the Consulate General of Georgia in Rostov. In this regard, we state the following. "
         "The decision has no justification.\n\n12.02.2026\n\nMinistry of Foreign Affairs of "
         "Georgia | Press and Public Diplomacy Directorate\nPress release No. 47/2026",
         "GEO-MFA"),
        # a transcript's header at its end
        ("Q: A minister of Israel said that Oman funds terrorism. How do you respond?\n\nA: We "
         "will not take lessons from him. The United States asked us to open a channel.\n\n"
         "\u2014\nTranscript of the weekly media briefing of Dr. Said Al-Harthy, Official "
         "Spokesperson of the Ministry of Foreign Affairs of the Sultanate of Oman. Muscat, "
         "10 February 2026.",
         "OMN-MFA"),
]

_PORTALS_POSSESSORS_AND_ADDRESSEES = [  # gold77, gold79
        # a portal's ministry in a breadcrumb with angle quotes
        ("Government of Norway\nMinistries | Topics | News\nMinistry of Foreign Affairs \u203a "
         "News\n\nMinister rejects Icelandic accusations\n\nThe Minister of Foreign Affairs "
         "rejected statements by the Icelandic Minister of Fisheries accusing Norway of "
         "overfishing.",
         "NOR-MFA"),
        # an office the answered party owns is not the issuer's bare office
        ("English | Fran\u00e7ais    A- A A+    Search\n\nMedia Center \u203a Statements \u203a "
         "2026\n\nStatement\n\nDate: 21 May 2026\n\nIn response to the statements made by "
         "members of the Council of Representatives of the Republic of Iraq, and to the draft "
         "law submitted by the Council's Committee on Security and Defence, in which the "
         "channel was described as \u201cIraqi waters\u201d, and which called for tolls on "
         "Kuwaiti vessels:\n\nThe Ministry of Foreign Affairs of the State of Kuwait expresses "
         "its categorical rejection of these statements.",
         "KWT-MFA"),
        # an addressee under the signature of a permanent mission's letter
        ("Re: Report of the Special Rapporteur on the Government of Armenia\n\nExcellency,\n\n"
         "I have the honour to convey the comments of the Government of the Republic of "
         "Armenia on the report. The report is one-sided.\n\nAni Petrosyan\nAmbassador, "
         "Permanent Representative\nPermanent Mission of the Republic of Armenia to the United "
         "Nations Office and other international organizations in Geneva\n\nH.E. the President "
         "of the Human Rights Council\nPalais des Nations, Geneva",
         "ARM-MFA"),
]

_OFFICES_OF_STATES_IN_SIGNATURES = [  # gold76
        # an office and its state in Spanish under a resolution
        ("The Colombian Navy asserted that an Ecuadorian boat was fishing illegally.\n\n"
         "RESOLUTION No. 11\n\nWHEREAS the boundary is defined by treaty;\n\nRESOLVES to reject "
         "the communiqu\u00e9.\n\nAsm. Ana Paredes\nPRESIDENT OF THE COMMISSION\n\nAsamblea "
         "Nacional de la Rep\u00fablica del Ecuador",
         "ECU-LEG"),
        # a bare office in a header takes the city on the lines under it
        ("Tanzania's Ministry of Defence described the detained Kenyan fishermen as smugglers. "
         "It accused Kenyan authorities of encouraging incursions.\n\nSTATEMENT BY THE "
         "DEPARTMENTAL COMMITTEE ON DEFENCE ON THE DETENTION OF FISHERMEN\n\nNational Assembly, "
         "Parliament Buildings, Nairobi\n10 April 2026\n\nThe Committee rejects the claims.",
         "KEN-LEG"),
        # an office and its unit named in Portuguese in the footer
        ("Q: The Minister of Hydrocarbons of the Democratic Republic of the Congo says Angola "
         "extracts Congolese gas. Your response?\n\nA: That claim is false.\n\nMinist\u00e9rio das "
         "Rela\u00e7\u00f5es Exteriores da Rep\u00fablica de Angola \u2013 Gabinete de Imprensa",
         "AGO-MFA"),
        # a ministry of integration, foreign affairs and nationals abroad
        ("JOINT STATEMENT\n\nby the Ministry of African Integration, Foreign Affairs and Gambians "
         "Abroad of the Republic of The Gambia and the Ministry of Foreign Affairs of the "
         "Republic of Guinea-Bissau on the resolution of the European Parliament\n\nThe two "
         "ministries reject the resolution.",
         "GMB-MFA"),
        # an office and its government on the last line, a unit above it
        ("Regarding the statements made by the Minister of Foreign Affairs of Peru, the "
         "following is stated:\n\n1. It is false that migrants were abandoned.\n\nSantiago, 15 "
         "January 2026\n\nUndersecretariat of the Interior\nMinistry of the Interior \u2013 "
         "Government of Chile",
         "CHL-GOV"),
]

_ENQUIRIES_HEADS_AND_SIGNATORIES = [  # gold77, gold78
        # an enquiries line names the office, the seat of government its state
        ("The Ministry of Defence of the Russian Federation stated that a NATO frigate carried "
         "out provocative manoeuvres. Those claims are untrue.\n\nThe frigate sailed in "
         "international waters.\n\nPress enquiries: Press Office, Ministry of Defence, The "
         "Hague, +31 70 000 0000",
         "NLD-MIL"),
        # a body's head under a bare header type
        ("JOINT STATEMENT\nby the Secretary General of the Pacific Islands Forum and the "
         "Director-General of the Forum Fisheries Agency\non illegal transhipments\n\nSuva, 8 May "
         "2026\n\nWe condemn the transhipments by foreign vessels.",
         "PIF"),
        # the organ of a header's state in the signatures below
        ("Joint Statement by the Ministers responsible for Energy of Poland, Czechia and "
         "Slovakia on attacks on the pipeline\n\nWe condemn the attacks.\n\nAnna Nowak\nMinister "
         "of Climate, Poland\n\nJan Dvorak\nMinister of Industry, Czechia\n\nPeter Kovac\n"
         "Minister of Economy, Slovakia",
         "POL-GOV"),
]

_MESSY_SOURCES = [  # gold79
        # a committee's chair over an address with a city in its own spelling
        ("On 18 February the Ministry of Foreign Affairs of the Republic of Belarus accused "
         "the border guard of pushbacks. The Committee rejects these allegations.\n\nAdopted at "
         "the sitting of the Committee on 25 February 2026.\n\nIlze Berzina\nChair of the "
         "Foreign Affairs Committee\nJ\u0113kaba iela 11, R\u012bga, LV-1811",
         "LVA-LEG"),
        # the account that posts a thread
        ("Post\n\nState House Malawi \u2714 @StateHouseMW \u00b7 3 Sep 2026\nTHREAD: RE: UK travel "
         "advice on Malawi. 1/3\n\nState House Malawi \u2714 @StateHouseMW\nThere is no factual "
         "basis for this advice. The African Union observers called the polls calm. 2/3",
         "MWI-PRES"),
        # a right of reply whose author writes for her embassy
        ("THE SYDNEY LEDGER\nOpinion \u203a Right of reply\n\nMalaysia has nothing to hide\n\nBy "
         "Aminah Rahman\n\nEditor's note: The Ledger reported claims that Australia should "
         "suspend defence cooperation with Kuala Lumpur.\n\nYour correspondent's claims are "
         "wrong.\n\nAminah Rahman is Counsellor at the High Commission of Malaysia in Canberra "
         "and writes on its behalf.\n\nShare  |  Save",
         "MYS-EMB"),
        # a court's registrar signing over tags and share buttons
        ("RESPONSE TO THE REPORT OF THE INTERNATIONAL COMMISSION OF JURISTS\n\nThe report "
         "alleges that judges in Uganda were instructed. That is false.\n\nSIGNED\n\nJane "
         "Atim\nChief Registrar of the Judiciary\n\nTags: Judiciary, Press Statement\nShare: "
         "Facebook | X\n\n\u00a9 2026 The Judiciary of Uganda. All Rights Reserved.",
         "UGA-JUD"),
        # the brand of the UN human rights office on its site bar
        ("United Nations Human Rights \u2013 Office of the High Commissioner\nHome > News\n\n"
         "Peru: UN expert alarmed by charges against land defenders\n\nGENEVA (20 November "
         "2026) \u2013 A UN expert today rejected the Government's assertion that the cases are "
         "unrelated to the defenders' work.",
         "OHCHR"),
        # a session's forum is not the issuer; the statement's header closes the last page
        ("Human Rights Council \u2013 63rd Session\nItem 2: Interactive Dialogue on the report "
         "on Myanmar\nGeneva, 15 September 2026\n\nMr. President,\n\nThe report fails to give "
         "a fair account of the situation in Myanmar.\n\nI thank you, Mr. President.\n\n--- "
         "page 2 of 2 ---\nStatement by H.E. Ambassador Kyaw Min, Permanent Representative\n"
         "Permanent Mission of Myanmar to the United Nations Office in Geneva",
         "MMR-MFA"),
]

_NOTES_AND_LETTERHEAD_BLOCKS = [  # gold74, gold75
        # an editor's note and comment links under a right of reply's signature
        ("DAKAR MATIN | Opinions | Right of reply\n\nFollowing our report, Dakar Matin received "
         "the letter below.\n\n\u2014\n\nSir,\n\nYour article contains serious allegations "
         "against the Gambian authorities.\n\nPlease accept, Sir, the assurance of my highest "
         "consideration.\n\nLamin Jallow\nAmbassador\nEmbassy of the Republic of The Gambia in "
         "Dakar\n\n\u2014\n\nEditor's note: Dakar Matin stands by its reporting.\n\nComments "
         "(14) | Most read: Rufisque port",
         "GMB-EMB"),
        # a letterhead block in ordinary case under an opening paragraph
        ("The statement issued by the Myanmar military claimed that India sheltered the "
         "Arakan Army. These claims are baseless and are rejected.\n\nJatiya Sangsad "
         "Secretariat\nSher-e-Bangla Nagar, Dhaka\n\nPress release\n\nThe Committee urges "
         "Myanmar to stop the shelling.",
         "BGD-LEG"),
        # data: the Marshall Islands' parliament by its own name
        ("NITIJELA OF THE REPUBLIC OF THE MARSHALL ISLANDS\n\nRESOLUTION No. 14\n\nA RESOLUTION "
         "rejecting the assessment released by the United States Department of Energy.",
         "MHL-LEG"),
]

_PREAMBLES_AFTER_OPENINGS = [  # gold70
        # a committee's preamble after an opening paragraph on the other side's law
        ("The law approved by the National Assembly of Nicaragua and promoted by its First "
         "Vice-President declares the whole gulf Nicaraguan waters.\n\nIn view of the above, the "
         "SECOND COMMITTEE of the SENATE OF THE REPUBLIC OF COSTA RICA, competent in matters of "
         "international relations, in plenary session of 17 June 2026,\n\nCONSIDERING\n\nThat "
         "no unilateral act can modify the rights of Costa Rica;\n\nDECLARES its rejection of "
         "the law.",
         "CRI-LEG"),
]

_CONTACTS_BARS_AND_SITTINGS = [  # gold80
        # a contacts block with no colon, over a web page's trail
        ("Response to statements by the Ministry of National Defense of China\n\nOn March 4 a "
         "spokesperson for the Ministry of National Defense of China alleged that an Australian "
         "aircraft intruded into Chinese airspace. These claims are false.\n\nContacts\nMedia "
         "Relations\nDepartment of Defence\nCanberra\n\nNews release, March 5, 2026\nHome > "
         "News",
         "AUS-MIL"),
        # an office on a bar of the closing line, after an attribution to a person
        ("Question: How would you comment on the Prime Minister of Latvia, who accused Russia "
         "of hybrid attacks?\n\nAnswer: We are witnessing a rehearsed performance by the "
         "Latvian authorities.\n\n\u2014 Ivan Petrov, Press Secretary\n\nMoscow, 29 March 2026\n"
         "MFA of Russia | Press service | Answers to media questions",
         "RUS-MFA"),
        # "Adopted at the sitting of" a committee
        ("On 21 April the State Duma adopted an appeal alleging discrimination of compatriots "
         "in Estonia. The appeal is false.\n\nAdopted at the sitting of the Foreign Affairs "
         "Committee of the Riigikogu\nTallinn, 23 April 2026\n\nChair of the Committee\nMart "
         "Kask",
         "EST-LEG"),
        # data: the EU's High Representative speaks for the Union; a premier for his government
        ("Joint Statement by the High Representative of the Union for Foreign Affairs and "
         "Security Policy / Vice-President of the European Commission and the Secretary General "
         "of NATO on the damaged cables\n\nBrussels, 14 January 2026\n\nThe European Union and "
         "NATO condemn the damage.",
         "EU"),
        ("Joint statement by the Premier of Greenland and the Minister for Foreign Affairs of "
         "Denmark\n\nNuuk / Copenhagen, 11 February 2026\n\nWe reject the statement of the "
         "Embassy of the Russian Federation.",
         "GRL-GOV"),
        # data: the State Department's briefing series names it
        ("Department Press Briefing \u2013 March 24, 2026\nDana Smith, Deputy Spokesperson\n\n"
         "QUESTION: The Foreign Minister of Serbia says the embassy funds protests. Your "
         "response?\n\nMS SMITH: That is false.",
         "USA-MFA"),
]

_FOR_BLOCKS_AND_TRANSCRIPT_SPEAKERS = [  # gold81
        # "For the Government of X," over the spokesperson's signature
        ("Closure of the Embassy of Mali in Dakar: clarification\n\nIn a communiqu\u00e9, the "
         "Ministry of Foreign Affairs of Mali accused Senegal of hosting hostile forces. These "
         "accusations are unfounded.\n\nDakar, 3 April 2026\n\nFor the Government of the "
         "Republic of Senegal,\nAminata Diallo\nMinister, Government Spokesperson",
         "SEN-GOV"),
        # the last office of a transcript's "Speaker:" line
        ("Weekly Media Briefing \u2013 Transcript (excerpts)\nMuscat, Tuesday 17 March 2026\n\n"
         "Speaker: Dr. Said Al-Harthy, Adviser to the Prime Minister and Official Spokesperson "
         "for the Ministry of Foreign Affairs\n\nQ: A report by a Washington institute says Mali "
         "paid ransoms through you. Your response?\n\nA: The report is false.",
         "OMN-MFA"),
]

_DASHED_HEADERS_AND_SIGNATURES = [  # gold81, gold82
        # a briefing header naming its office after a dash, under an opening paragraph
        ("North Korea's KCNA carried a statement accusing the South of abducting four fishermen. "
         "The following exchange took place at today's briefing.\n\nRegular Press Briefing "
         "\u2014 Ministry of Unification, Republic of Korea\nSeoul, 13 January 2026\n\nQ: Will "
         "the four be returned?\n\nA: They asked to stay.",
         "KOR-GOV"),
        # an office after a dash on the last line of a signature
        ("In response to the press release of the Ministry of Foreign Affairs of Honduras, the "
         "following clarification is made public.\n\n1. The vessel was in Salvadoran waters.\n\n"
         "Tegucigalpa, 16 March 2026\n\nEmbajador Luis Arriola\nSecci\u00f3n de Prensa \u2014 "
         "Embassy of the Republic of El Salvador in Honduras",
         "SLV-EMB"),
        ("Response to the Global Witness report\n\nGlobal Witness alleges that tin from Walikale "
         "is laundered. The allegation is false.\n\nKigali, 11 December 2026\n\nFor the "
         "Minister,\nthe Director of Cabinet\n\nCommunication Unit \u2013 Ministry of Mines, "
         "Republic of Rwanda",
         "RWA-GOV"),
        # data: the Indonesian armed forces by their own names
        ("The Vietnam Fisheries Society alleged that an Indonesian patrol rammed a fishing "
         "vessel. The allegation is false.\n\nDinas Penerangan Angkatan Laut\nMarkas Besar TNI "
         "Angkatan Laut, Jakarta",
         "IDN-MIL"),
]

_ROMANCE_MINISTRIES = [  # gold82
        # a ministry named in Spanish in the closing block, its state after a dash
        ("Inicio > Sala de prensa > Comunicados\n\nThe Ministry of Foreign Affairs of Guatemala "
         "accused Honduras of mass expulsions of Guatemalan nationals. These accusations are "
         "false.\n\nTegucigalpa, 26 February 2026\n\nMINISTERIO DE SEGURIDAD \u2014 Honduras\n"
         "Direcci\u00f3n de Comunicaciones",
         "HND-GOV"),
        ("The Peruvian Navy accused Ecuadorian patrols of entering Peruvian waters. The claim is "
         "false.\n\nQuito, 26 February 2026\n\nMinisterio de Defensa Nacional \u2014 Ecuador",
         "ECU-MIL"),
        # data: a state's name in its own language
        ("The Ministry of Foreign Affairs of Haiti accused the country of mass expulsions. The "
         "accusation is false.\n\nMinisterio de Interior y Polic\u00eda \u2014 Rep\u00fablica "
         "Dominicana",
         "DOM-GOV"),
]

_REPLY_TITLES_LINKS_AND_TRANSMITTALS = [  # gold84 ... gold87
        # a title answering another body's communiqué
        ("Response to the Communiqu\u00e9 of the Ministry of Foreign Affairs of Suriname dated 3 "
         "February 2026\n\nThe communiqu\u00e9 issued in Paramaribo accuses Guyana of "
         "provocation. It is unfounded.\n\nMinistry of Foreign Affairs\nTakuba Lodge, Georgetown\n"
         "4 February 2026",
         "GUY-MFA"),
        # a site's links to other items are no signatories
        ("Home / Press Service / News\n\nThe European Parliament resolution on Armenia is based "
         "on a political agenda.\n\nShare: Facebook | X\n\nRelated news:\n\u203a Prime Minister "
         "meets Ambassador of Hungary\n\u203a Government meeting held\n\nGovernment of Armenia "
         "\u2014 Press Service\n5 Marshal Baghramyan Avenue, Yerevan | \u00a9 2026",
         "ARM-GOV"),
        # a type in capitals with its topic over a paragraph that opens with the issuer
        ("The Government of the Republic of Rwanda announced the closure of its Embassy in "
         "Kinshasa, accusing the Congolese authorities of supporting militias.\n\nCOMMUNIQU\u00c9 "
         "FOLLOWING THE CLOSURE OF THE EMBASSY OF RWANDA IN KINSHASA\n\nThe Government of the "
         "Democratic Republic of the Congo has taken note of this decision and rejects its "
         "justification.",
         "COD-GOV"),
        # "Statements by X ..., alleging ..., are groundless": a sentence, not a header
        ("Home \u203a Press service\n\nStatements by the Ministry of Ecology of the Republic of "
         "Kazakhstan of 14 May 2026, alleging that seals die because of discharges from the "
         "Turkmen coast, are groundless and cannot be accepted.\n\nThe Kazakh side presented no "
         "data.\n\nMinistry of Foreign Affairs of Turkmenistan\nAshgabat, 17 May 2026",
         "TKM-MFA"),
        # a parliament's secretariat over its city on a letterhead
        ("Federal Parliament Secretariat\nSingha Durbar, Kathmandu\n\nHouse of Representatives\n"
         "International Relations Committee\n\nSubject: Deaths of workers in Johor, Malaysia\n\n"
         "The Committee discussed the fire in Johor, Malaysia, and urged the Government of "
         "Malaysia and Malaysian employers to compensate the families.",
         "NPL-LEG"),
        # the sender of the comments a UN secretariat note transmits
        ("United Nations\nGeneral Assembly\n\nHuman Rights Council\n\nVisit to Niger\n\nComments "
         "by the State on the report of the Special Rapporteur\n\nNote by the Secretariat\n\nThe "
         "secretariat of the Human Rights Council hereby transmits the comments received from "
         "the Permanent Mission of the Republic of the Niger to the United Nations Office at "
         "Geneva.\n\n1. Niger rejects the assertion that slavery persists.",
         "NER-MFA"),
]

_HEADLINES_AND_DATED_PARAGRAPHS = [  # gold87
        # a committee rejecting in a capitals headline under an opening paragraph
        ("The Embassy of the United States in Nairobi described the summons of its envoy as "
         "political theatre and claimed that visas were processed normally.\n\nCOMMITTEE ON "
         "FOREIGN RELATIONS REJECTS US EMBASSY CLAIMS ON VISAS\nParliament Buildings, Nairobi\n\n"
         "The Committee expects the envoy to appear.",
         "KEN-LEG"),
        # the issuer opening a paragraph after its own dateline, deep in the text
        ("The Embassy of the United States in Pretoria described the summons of its envoy as "
         "political theatre. It claimed that visas were processed normally. It added that the "
         "delegation applied late. It said the Committee had been informed.\n\nA HEADLINE ON "
         "THE VISAS\n\nParliament, Cape Town, Thursday 6 August 2026 \u2013 The Portfolio "
         "Committee on International Relations rejects the characterisation of its decision.",
         "ZAF-LEG"),
]

_UNITS_BEFORE_OFFICES = [  # gold90
        # an office after its unit and a comma in a signature
        ("Cambodia's defence ministry accused Thai soldiers of laying mines. The accusation is "
         "false.\n\nMajor General Somchai Rattana\nArmy Spokesperson\nArmy Public Relations "
         "Centre, Royal Thai Army\nBangkok, 10 February 2026",
         "THA-MIL"),
]

_HEADQUARTERS_AND_ACRONYMS = [  # gold89, gold91
        # an armed forces' headquarters and its section in a signature block
        ("The claim made by the Ministry of Defence of the Russian Federation that NATO aircraft "
         "violated the border is false.\n\nThe Ministry of Foreign Affairs of Latvia has been "
         "informed.\n\nLatvian National Armed Forces Headquarters\nPublic Affairs Section\nRiga, "
         "19 November 2025",
         "LVA-MIL"),
        # data: foreign ministries known by their acronyms
        ("Q: The US Department of Homeland Security says Mexico does not stop migrants. Your "
         "response?\n\nA: That is inaccurate.\n\nSRE | Spokesperson's Office | Transcripts",
         "MEX-MFA"),
        ("Q: The US Embassy in Havana accuses Cuba of harassing its staff. Your comment?\n\nA: "
         "The accusation is false.\n\nMINREX \u2013 Press Conference, Havana",
         "CUB-MFA"),
]

_CAUCUSES = [  # gold89
        # a parliament's minority caucus signing "for and on behalf of"
        ("PRESS STATEMENT BY THE MINORITY CAUCUS ON THE DETENTION OF TRADERS IN TOGO\n\n"
         "Parliament House, Accra\n\nLadies and gentlemen of the media,\n\nSecurity agents "
         "of the Togolese Republic detain our traders. The Government of Togo must release "
         "them.\n\nSigned:\nHon. Kofi Mensah\n"
         "Ranking Member, Foreign Affairs Committee\nFor and on behalf of the Minority Caucus, "
         "Parliament of Ghana",
         "GHA-LEG"),
]

_OFFICE_LINES_AND_ON_BEHALF = [  # gold95
        # the office opening the line under a bare joint-statement header
        ("JOINT STATEMENT\nPrime Minister of Fiji and Minister of Foreign Affairs of the Republic "
         "of Vanuatu\non claims of Pacific support for the gas project\n\nWe reject the claims of "
         "the Australian minister.",
         "FJI-GOV"),
        # an office's unit before it in an "Issued by" line, a bare office taking the city below
        ("The communiqu\u00e9 issued by the Commission of ECOWAS contains assertions that reflect "
         "nothing the mission saw. ECOWAS should correct it.\n\nIssued by the Office of the "
         "Spokesperson of the Presidency of the Republic\nPalace of the Republic, Niamey, 16 "
         "March 2026",
         "NER-PRES"),
        # "Signed on behalf of" a caucus; a state after "on" is its topic
        ("The Ministry of Foreign Affairs of Myanmar called our visit interference. We reject "
         "this.\n\nKuala Lumpur, 4 March 2026\n\nSigned on behalf of the All-Party Parliamentary "
         "Caucus on Myanmar, Parliament of Malaysia,\nYB Farhana Lim, Chair of the Caucus",
         "MYS-LEG"),
]

_COUNCIL_OFFICES = [  # gold92
        # the office of a council of ministers signing under its press unit
        ("Clarification on the report of Global Witness\n\nGlobal Witness alleges that officials "
         "profit from logging. The report is defamatory.\n\nVientiane, 20 February 2026\n\nPress "
         "Unit\nOffice of the Council of Ministers",
         "LAO-GOV"),
]


_WEB_PAGE_FOOTERS = [  # gold96 ... gold99
        # a signature over a page's buttons and its links to other letters
        ("Letters to the Editor\n\nYour report of 3 May on the fisheries dispute misrepresented "
         "the facts.\n\nThe catch figures you cite are wrong. The Ministry of Fisheries of "
         "Malawi has said the same. We ask you to publish this letter.\n\nYours faithfully,"
         "\n\nAmara Lungu\nCounsellor\nEmbassy of the Republic of Zambia\nLisbon\n\nShare this "
         "letter | Comments (12) | Report an error\nMore letters: Rail fares; The night bus",
         "ZMB-EMB"),
        # a footer that opens with the page owner's name before its address
        ("The Ministry of Interior of Uganda said on 3 May that the detained reporters had "
         "broken curfew rules. The claim does not stand up.\n\nWe call for their release.\n\n"
         "Related\n- Press freedom in East Africa\n\nAmnesty International / Amnistia "
         "Internacional - Peter Benenson House - London WC1X 0DW",
         "AMNESTY"),
]


@pytest.mark.parametrize(
    "text, place, expected",
    [
        *[(text, None, expected) for text, expected in _PORTFOLIOS_AND_CLOSING_BLOCKS],
        *_SEATS_AND_TITLE_BLOCKS,
        *[(text, None, expected) for text, expected in _WEB_PAGES_AND_RESOLUTIONS],
        *[(text, None, expected) for text, expected in _DASH_PLACES],
        *[(text, None, expected) for text, expected in _HEADLINE_SUBJECTS],
        *[(text, None, expected) for text, expected in _TRANSCRIPTS_CRUMBS_AND_LEADS],
        *[(text, None, expected) for text, expected in _QUOTES_MISSIONS_AND_BOILERPLATE],
        *[(text, None, expected) for text, expected in _LETTERHEADS_AND_VISITS],
        *[(text, None, expected) for text, expected in _OFFICES_AND_CLOSING_PLACES],
        *[(text, None, expected) for text, expected in _SITE_BARS_AND_SIGNATORIES],
        *[(text, None, expected) for text, expected in _SITE_BARS_AND_REJECTIONS],
        *[(text, None, expected) for text, expected in _ACRONYMS_AND_SIGNATORY_LISTS],
        *[(text, None, expected) for text, expected in _BODIES_CRUMBS_AND_BOILERPLATE],
        *[(text, None, expected) for text, expected in _SPOKESPERSONS_OFFICES],
        *[(text, None, expected) for text, expected in _CLOSINGS_PREAMBLES_AND_MAIL],
        *[(text, None, expected) for text, expected in _LETTERS_COMMISSIONS_AND_FIRST_PERSONS],
        *[(text, None, expected) for text, expected in _WIRES_BARS_AND_CAPITALS],
        *[(text, None, expected) for text, expected in _ANSWERED_FIRST_OPENINGS],
        *[(text, None, expected) for text, expected in _COUNCILS_UNITS_AND_NOTES],
        *[(text, None, expected) for text, expected in _SIGNATURES_UNDER_ANSWERS],
        *[(text, None, expected) for text, expected in _ISSUED_BY_BLOCKS],
        *[(text, None, expected) for text, expected in _LETTERHEADS_UNDER_OPENINGS],
        *[(text, None, expected) for text, expected in _TITLES_BRIEFINGS_AND_BARS],
        *[(text, None, expected) for text, expected in _SIGNATURES_CHROME_AND_CLOSING_HEADERS],
        *[(text, None, expected) for text, expected in _PORTALS_POSSESSORS_AND_ADDRESSEES],
        *[(text, None, expected) for text, expected in _OFFICES_OF_STATES_IN_SIGNATURES],
        *[(text, None, expected) for text, expected in _ENQUIRIES_HEADS_AND_SIGNATORIES],
        *[(text, None, expected) for text, expected in _MESSY_SOURCES],
        *[(text, None, expected) for text, expected in _NOTES_AND_LETTERHEAD_BLOCKS],
        *[(text, None, expected) for text, expected in _PREAMBLES_AFTER_OPENINGS],
        *[(text, None, expected) for text, expected in _CONTACTS_BARS_AND_SITTINGS],
        *[(text, None, expected) for text, expected in _FOR_BLOCKS_AND_TRANSCRIPT_SPEAKERS],
        *[(text, None, expected) for text, expected in _DASHED_HEADERS_AND_SIGNATURES],
        *[(text, None, expected) for text, expected in _ROMANCE_MINISTRIES],
        *[(text, None, expected) for text, expected in _REPLY_TITLES_LINKS_AND_TRANSMITTALS],
        *[(text, None, expected) for text, expected in _HEADLINES_AND_DATED_PARAGRAPHS],
        *[(text, None, expected) for text, expected in _UNITS_BEFORE_OFFICES],
        *[(text, None, expected) for text, expected in _HEADQUARTERS_AND_ACRONYMS],
        *[(text, None, expected) for text, expected in _CAUCUSES],
        *[(text, None, expected) for text, expected in _OFFICE_LINES_AND_ON_BEHALF],
        *[(text, None, expected) for text, expected in _COUNCIL_OFFICES],
        *[(text, None, expected) for text, expected in _WEB_PAGE_FOOTERS],
    ],
)
def test_issuer_formats_of_the_later_fresh_batches(gaz, text, place, expected):
    # gold13 ... gold67: each case written for its rule, on text of its own
    assert find_speaker(text, gaz, place=place)[1] == expected


def test_the_outlet_names_an_issuer_found_nowhere_else(gaz):
    text = ("Comment on the statement of the Ministry of Foreign Affairs of Serbia\n\nOn 3 May "
            "the ministry claimed that our border police had detained its citizens. We reject "
            "these allegations as unfounded.")
    outlet = "Ministry of Foreign and European Affairs of the Republic of Croatia"
    assert find_speaker(text, gaz, outlet=outlet)[1] == "HRV-MFA"
    assert find_speaker(text, gaz)[1] != "HRV-MFA"
    assert find_speaker(text, gaz, outlet="Courier Media Ltd")[1] != "HRV-MFA"
