"""UNT rules: untranslated sentences, clauses and words, and the inferred source language."""

from __future__ import annotations

import pytest

from auditor.checks import Handover, NameSpelling, Resources
from auditor.checks.language import LanguageCheck
from auditor.config import load_config
from auditor.document import Document
from auditor.ingest import read_paths
from auditor.rules import Rule
from auditor.segment import segment
from tests.conftest import DEV_DATA, sample

MIXED = """Ukraine and Russia agreed on Tuesday to hold a new round of talks in Istanbul next \
week, officials in both capitals said.

Die Bundesregierung hat am Montag weitere Waffenlieferungen an die Ukraine angekündigt. Der \
Kanzler sagte, man werde das Land so lange unterstützen, wie es nötig sei. Die Opposition \
kritisierte die Entscheidung als zu zögerlich.

The Kremlin said it was ready to listen to proposals but gave no details. Il ministro degli \
Esteri ha detto che il governo italiano sostiene pienamente i colloqui di pace. European \
leaders welcomed the announcement.

The talks are expected to last two days.
"""


@pytest.fixture(scope="module")
def check() -> LanguageCheck:
    config = load_config({}, use_files=False)
    return LanguageCheck(config, Resources(config))


@pytest.fixture(scope="module", params=["lingua", "langdetect", "py3langid"])
def each_detector(request) -> LanguageCheck:
    """The check with each sentence language identifier the configuration offers."""
    if request.param == "py3langid":
        pytest.importorskip("py3langid")
    config = load_config({"language_detector": request.param}, use_files=False)
    return LanguageCheck(config, Resources(config))


def audit(check, text: str, **meta):
    doc = segment(Document(path="t.md", id="t", text=text, meta=meta))
    return doc, check.check(doc)


def load(prefix: str):
    doc = next(iter(read_paths([str(sample(prefix))])))
    return segment(doc)


def test_juni_in_the_stern_article_is_an_untranslated_german_word(check):
    doc = load("003")
    findings = check.check(doc)
    juni = [f for f in findings if f.text == "Juni"]
    assert [f.rule for f in juni] == ["UNT002"]
    assert juni[0].evidence["lang"] == "de"
    assert juni[0].severity == "major"
    assert "German" in juni[0].message


def test_juni_is_german_from_the_names_alone_without_front_matter(check):
    doc = load("003")
    doc.meta.pop("source_lang", None)
    juni = [f for f in check.check(doc) if f.text == "Juni"]
    assert juni and juni[0].evidence["lang"] == "de"


def test_elyseepalast_is_an_untranslated_german_compound(check):
    findings = check.check(load("002"))
    hits = [f for f in findings if f.text == "Élyséepalast"]
    assert [f.rule for f in hits] == ["UNT002"]
    assert hits[0].evidence["lang"] == "de"
    assert hits[0].evidence["compound"] == ["Élysée", "palast"]


def test_names_and_transliterations_in_the_samples_are_not_untranslated_words(check):
    for prefix in ("000", "001", "003", "004"):
        texts = {f.text for f in check.check(load(prefix))}
        assert not texts & {
            "Selenskyj",
            "Peskow",
            "Umjerow",
            "Stoltenberg",
            "Bärbel",
            "Lubinez",
            "Wolodymyr",
            "Lwowa",
            "Belowa",
            "Zhelensky",
            "cibo",
        }


def test_german_paragraph_and_italian_sentence_are_untranslated_sentences(each_detector):
    doc, findings = audit(each_detector, MIXED)
    unt001 = [f for f in findings if f.rule == "UNT001"]
    languages = [(f.evidence["lang"], f.text.split()[0]) for f in unt001]
    assert languages == [("de", "Die"), ("it", "Il")]
    german, italian = unt001
    assert german.text.endswith("zu zögerlich.")  # the whole paragraph, one finding
    assert german.evidence["sentences"] == 3
    assert italian.text.endswith("colloqui di pace.")
    english = [s for s in doc.sentences if s.text.startswith(("Ukraine", "The", "European"))]
    assert len(english) == 4
    for s in english:
        assert not any(f.start < s.end and s.start < f.end for f in findings), s.text


def test_untranslated_clause_inside_an_english_sentence(each_detector):
    text = (
        'The chancellor told reporters, "Wir werden die Ukraine weiter unterstützen, so '
        'lange es nötig ist", before leaving for Paris.'
    )
    _, findings = audit(each_detector, text)
    assert [f.rule for f in findings] == ["UNT001"]
    assert findings[0].evidence["lang"] == "de"
    assert findings[0].text.startswith("Wir werden")
    assert "chancellor" not in findings[0].text


def test_short_german_sentence_starting_with_an_article(each_detector):
    text = "The minister spoke on Monday. Die Regierung lehnt das ab. He left for Berlin."
    _, findings = audit(each_detector, text)
    assert [(f.rule, f.text, f.evidence["lang"]) for f in findings] == [
        ("UNT001", "Die Regierung lehnt das ab.", "de")
    ]


def test_cyrillic_sentence_is_untranslated_russian(each_detector):
    text = (
        "The ministry said in a statement: Переговоры будут продолжены на следующей "
        "неделе в Стамбуле."
    )
    _, findings = audit(each_detector, text)
    assert [(f.rule, f.evidence["lang"]) for f in findings] == [("UNT001", "ru")]


def test_russian_word_in_latin_script(check):
    _, findings = audit(
        check, "The spokesman said everything was khorosho and that the talks would continue."
    )
    assert [(f.rule, f.text, f.evidence["lang"]) for f in findings] == [
        ("UNT002", "khorosho", "ru")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Lavrov's words",
        "Avoid conflict",
        "Kremlin denies plans",
        "Biden meets Ukrainian refugees in Warsaw",
        "No unconditional ceasefire in Ukraine in sight",
        "The Bundestag approved the package, a piece of realpolitik, on Friday.",
        "Kremlin spokesman Dmitri Peskow said the talks would go on in Istanbul.",
        "Stoltenberg said NATO would not be divided.",
        "Ukrainian human rights officer Dmytro Lubinez announced it on Telegram.",
        "Photo: dpa/AFP/cibo. More at www.spiegel.de/politik and #Ukraine.",
        "Prime Minister Jonas Gahr Store met Chancellor Olaf Scholz in Berlin.",
    ],
)
def test_english_news_lines_and_names_stay_clean(each_detector, text):
    _, findings = audit(each_detector, text)
    assert findings == []


def test_span_already_found_by_an_earlier_check_is_not_found_twice(check):
    text = "The International Criminal Court in Den Haag issued arrest warrants."
    doc = segment(Document(path="t.md", id="t", text=text))
    rule = Rule("NAME001", "names", "exonym", "Locale convention/Name format", "major", "")
    start = text.index("Den Haag")
    flagged = doc.finding(rule, start, start + len("Den Haag"), "use The Hague")
    earlier = Handover(flagged=(flagged,), names=(NameSpelling(start, flagged.end, "Den Haag"),))
    assert check.check(doc, earlier) == []


def test_inferred_source_language(check):
    doc = load("003")
    doc.meta.pop("source_lang", None)
    check.check(doc)
    assert doc.extra == {"inferred_source_lang": "de"}
    doc, findings = audit(check, "The news agency reported the figures on Monday.")
    assert doc.extra == {}


def test_results_are_deterministic(each_detector):
    config = each_detector.config
    fresh = LanguageCheck(config, Resources(config))
    first = [f.to_dict() for f in audit(each_detector, MIXED)[1]]
    second = [f.to_dict() for f in audit(fresh, MIXED)[1]]
    assert first == second


def test_names_check_origins_count_toward_the_source_language(check):
    text = "Zelenski met Tusk, Duda and Sikorski in Warsaw on Monday to discuss the border."
    doc = segment(Document(path="t.md", id="t", text=text))
    spellings = (
        ("Zelenski", ("pl", "es")),
        ("Tusk", ("pl",)),
        ("Duda", ("pl",)),
        ("Sikorski", ("pl",)),
        ("Warsaw", ("mt",)),  # "mt": an MT slip, not a language
        ("Monday", ("mt",)),
    )
    names = tuple(
        NameSpelling(text.index(name), text.index(name) + len(name), name, origins)
        for name, origins in spellings
    )
    check.check(doc, Handover(names=names))
    assert doc.extra == {"inferred_source_lang": "pl"}


@pytest.mark.skipif(not DEV_DATA.is_file(), reason="development data not present")
def test_professional_translations_stay_clean(check):
    """The issue's bar on clean text: at most 1 major UNT or LEX finding per 2,000 words, here on
    the human translations of the first 40 documents of the development data."""
    import pandas as pd

    from auditor.checks.lexicon import LexiconCheck
    from research.unt_lex import _articles, _run

    df = pd.read_json(DEV_DATA, lines=True)
    df = df[df["doc"].isin(sorted(df["doc"].unique())[:40])]
    checks = [check, LexiconCheck(check.config, check.resources)]
    words = majors = 0
    for doc, _ in _articles(df, human=True, agreed_only=True):
        words += doc.words
        majors += sum(f.severity == "major" for f in _run(checks, doc))
    assert words > 10_000
    assert 2000 * majors / words <= 1.0


def test_unknown_language_detector_is_a_configuration_error():
    from auditor.errors import ConfigError

    with pytest.raises(
        ConfigError, match="language_detector must be lingua, langdetect or py3langid"
    ):
        load_config({"language_detector": "cld9"}, use_files=False)


@pytest.mark.parametrize(
    "text",
    [
        "The report was first carried by Deutsche Presse-Agentur on Tuesday.",
        "Deutsche Presse-Agentur reported that the talks had stalled.",
        "He told Deutsche Presse-Agentur that the talks had stalled.",
        "Berlin (Deutsche Presse-Agentur) - The talks stalled on Tuesday.",
        "Borussia Dortmund and Deutsche Bahn signed a deal, the Süddeutsche Zeitung reported.",
        "The Frankfurter Allgemeine Zeitung and Der Spiegel reported it first.",
    ],
)
def test_german_words_inside_the_names_of_organisations_are_names(check, text):
    # Issue 18: words inside a multi-word capitalized name are the name's, not untranslated.
    assert [f.text for f in audit(check, text, source_lang="de")[1]] == []


# One news sentence per language, written for this test (not the planted study's sentences),
# set between English ones: each is found, with its language.
EUROPEAN = {
    "cs": "Vláda ve středu schválila návrh zákona o nových daních z příjmu.",
    "sk": "Vláda v stredu schválila návrh zákona o nových daniach z príjmu.",
    "da": "Regeringen vil fremlægge et nyt lovforslag om skat efter sommerferien.",
    "sv": "Regeringen kommer att lägga fram ett nytt lagförslag om skatter i höst.",
    "fi": "Hallitus aikoo esitellä uuden verolain eduskunnalle ensi viikolla.",
    "hu": "A kormány szerdán elfogadta az új adótörvény tervezetét a parlamentben.",
    "ro": "Guvernul a aprobat miercuri proiectul de lege privind noile taxe.",
    "hr": "Vlada je u srijedu prihvatila prijedlog zakona o novim porezima.",
    "sl": "Vlada je v sredo sprejela predlog zakona o novih davkih na dohodek.",
    "pt": "O governo aprovou na quarta-feira o projeto de lei sobre os novos impostos.",
    "lt": "Vyriausybė trečiadienį pritarė naujo mokesčių įstatymo projektui.",
    "lv": "Valdība trešdien apstiprināja jaunā nodokļu likuma projektu.",
    "et": "Valitsus kiitis kolmapäeval heaks uue maksuseaduse eelnõu.",
    "tr": "Hükümet çarşamba günü yeni vergi yasası tasarısını onayladı.",
    "ru": "Правительство в среду одобрило законопроект о новых налогах.",
    "uk": "Уряд у середу схвалив законопроєкт про нові податки на доходи.",
    "bg": "Правителството одобри в сряда законопроекта за новите данъци.",
    "el": "Η κυβέρνηση ενέκρινε την Τετάρτη το νομοσχέδιο για τους νέους φόρους.",
    "no": "Regjeringen vil legge fram et nytt lovforslag om skatt etter sommeren.",
}


def audit_between_english(check, sentence, **meta):
    """The findings on ``sentence`` set between two English sentences of news copy."""
    text = f"The minister spoke to reporters on Monday. {sentence} Talks resume next week."
    return audit(check, text, **meta)[1]


@pytest.mark.parametrize("lang", sorted(EUROPEAN))
def test_a_sentence_in_every_european_language_is_found_with_its_language(check, lang):
    sentence = EUROPEAN[lang]
    findings = audit_between_english(check, sentence)
    assert [(f.rule, f.text, f.evidence["lang"]) for f in findings] == [("UNT001", sentence, lang)]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("The Bundesregierung said on Tuesday it would not change course.", "Bundesregierung"),
        ("The Kanzleramt declined to comment on the report.", "Kanzleramt"),
        ("Finanzministerium officials said the budget was balanced.", "Finanzministerium"),
        ("Landwirtschaftsminister Anna Berger visited the farms on Friday.",
         "Landwirtschaftsminister"),
        ("Talks with the Gewerkschaft broke down late on Monday.", "Gewerkschaft"),
        ("The new Verkehrsminister promised faster trains by next year.", "Verkehrsminister"),
    ],
)  # fmt: skip
def test_german_nouns_are_found_wherever_they_stand(check, text, word):
    _, findings = audit(check, text)
    assert [(f.rule, f.text, f.evidence["lang"]) for f in findings] == [("UNT002", word, "de")]


def test_an_article_mostly_in_german_is_one_critical_finding():
    from auditor.pipeline import Auditor

    text = (
        "Die Bundesregierung hat am Dienstag neue Hilfen für die Landwirte beschlossen. "
        "Agrarminister Cem Özdemir sagte, die Betriebe müssten schnell entlastet werden.\n\n"
        "Die Opposition kritisierte das Paket als zu klein. Der Bauernverband begrüßte die "
        "Entscheidung dagegen ausdrücklich und forderte weitere Schritte.\n\n"
        "Talks resume in June.\n"
    )
    config = load_config({"lm": False}, use_files=False)
    result = Auditor(config).audit_document(Document(path="de.md", id="de", text=text))
    assert [(f.rule, f.severity, f.evidence["lang"]) for f in result.findings] == [
        ("UNT003", "critical", "de")
    ]
    assert result.verdict == "fail"


# Two short sentences judged together (issue 18), written for this test: the first is long
# enough to judge alone but fails (lingua doubts it, or too few of its words vote), or loses
# its opening words to a "name" ("Файлът Ви"); the second is too short to judge alone.
SHORT_PAIRS = [
    ("tr", "Parola form verileri eşleşmedi. Tekrar deneyin."),
    ("et", "Sama parool ei sobi. Vali uus."),
    ("bg", "Файлът Ви е изтрит! Благодарим!"),
]


@pytest.mark.parametrize(("lang", "sentences"), SHORT_PAIRS)
def test_a_failed_sentence_and_a_short_neighbour_are_judged_together(check, lang, sentences):
    findings = audit_between_english(check, sentences)
    assert [(f.rule, f.text, f.evidence["lang"]) for f in findings] == [("UNT001", sentences, lang)]


def test_short_english_lines_with_names_stay_clean(check):
    for lines in (
        "Xi Jinping arrived. Li Keqiang spoke.",
        "Source: Xinhua. Editor: Wang Lei.",
        "Photo: Reuters. Video: AFP TV.",
        "Nord Stream. Gazprom said no.",
    ):
        assert audit_between_english(check, lines) == []


# Close kin (issue 18): news sentences written for this test, each of which lingua's fast
# models name as a sibling language first (Danish as Norwegian and back, Spanish as Italian);
# word frequencies decide again within the group.
CLOSE_KIN = [
    ("da", "Politiet efterlyser vidner til ulykken."),
    ("da", "Han blev dømt for bedrageri i byretten."),
    ("no", "Butikkene kan holde åpent på søndag."),
    ("es", "El ministro no quiso comentar el caso."),
    ("da", "Skolerne holder lukket resten af ugen."),
    ("no", "Skolene holder stengt resten av uken."),
    ("sv", "Skolorna håller stängt resten av veckan."),
    ("cs", "Vláda nechce v této věci nic komentovat až do pondělí."),
    ("sk", "Vláda nechce v tejto veci nič komentovať až do pondelka."),
    ("hr", "Ministar nije želio komentirati slučaj."),
    ("sl", "Minister ni želel komentirati primera."),
    ("pt", "O ministro não quis comentar o caso."),
    ("sr", "Министар није желео да коментарише случај."),
    ("bg", "Министърът не пожела да коментира случая."),
    ("ru", "Министр не захотел комментировать дело."),
    ("uk", "Міністр не захотів коментувати справу."),
]


@pytest.mark.parametrize(("lang", "sentence"), CLOSE_KIN)
def test_close_kin_are_told_apart(check, lang, sentence):
    findings = audit_between_english(check, sentence)
    assert [(f.rule, f.text, f.evidence["lang"]) for f in findings] == [("UNT001", sentence, lang)]
    assert findings[0].evidence.get("detected_lang") != lang


def test_the_fast_models_alone_name_a_sibling():
    # What the kin step is for: without it these sentences get a sibling's name.
    from auditor.language.identify import LanguageIdentifier

    identifier = LanguageIdentifier("lingua")
    first = {sentence: identifier.probabilities(sentence)[0][0] for _, sentence in CLOSE_KIN[:4]}
    assert list(first.values()) == ["no", "no", "da", "it"]


# Danish, Norwegian Bokmål and Swedish (issue 18): sentences written for this test. The first
# four got a sibling's name from word frequencies and lingua alone: Danish puts a bare noun after
# "den nye" and Norwegian a definite one after "denne" (both share every other word), and
# "skråstreg" is in no word list while its last part, Danish "streg" (Norwegian "strek"), is.
SCANDINAVIAN = [
    ("da", "Partiet mister to mandater ifølge den nye måling."),
    ("no", "Denne siden kan ikke vises."),
    ("no", "Denne e-posten er sendt automatisk, og du kan ikke svare på den."),
    ("da", "Adressen skal slutte med en skråstreg."),
    ("da", "Dette navn er allerede i brug."),
    ("no", "Dette navnet er allerede i bruk."),
    ("da", "Vi har opdateret sikkerhedsindstillingerne for din konto."),
    ("no", "Vi har oppdatert sikkerhetsinnstillingene for kontoen din."),
    ("sv", "Vi har uppdaterat säkerhetsinställningarna för ditt konto."),
    ("da", "Det nye system kan ikke bruges endnu."),
    ("no", "Det nye systemet kan ikke brukes ennå."),
    ("sv", "Det nya systemet kan inte användas än."),
]


@pytest.mark.parametrize(("lang", "sentence"), SCANDINAVIAN)
def test_danish_norwegian_and_swedish_are_told_apart(check, lang, sentence):
    findings = audit_between_english(check, sentence)
    assert [(f.rule, f.text, f.evidence["lang"]) for f in findings] == [("UNT001", sentence, lang)]


@pytest.mark.parametrize(
    ("words", "marked"),
    [
        ("Denne side er tom", {"da": 1}),  # a bare noun after a demonstrative: Danish
        ("Denne siden er tom", {"no": 1, "sv": 1}),  # a definite one: Norwegian, Swedish
        ("Dette felt er tomt", {"da": 1}),
        ("Dette feltet er tomt", {"no": 1, "sv": 1}),
        ("ifølge den nye måling", {"da": 2, "no": 1}),  # and ø: Danish or Norwegian
        ("ifølge den nye målingen", {"da": 1, "no": 2, "sv": 1}),
        ("Dette kan ta tid", {}),  # no noun after the demonstrative: nothing
        ("fordi den allerede har", {}),  # an adverb, not an adjective
        ("sikkerhed", {"da": 1}),
        ("sikkerhet", {"no": 1, "sv": 1}),
        ("säkerhet", {"no": 1, "sv": 2}),
        ("informasjon", {"no": 1}),
        ("information", {"da": 1, "sv": 1}),
        ("kjøpe", {"da": 1, "no": 2}),
    ],
)
def test_spelling_and_definiteness_markers(words, marked):
    from auditor.language.scandinavian import marks

    assert dict(marks(words.split())) == marked


def test_a_compound_no_word_list_holds_counts_by_its_last_part():
    from wordfreq import zipf_frequency

    from auditor.language.scandinavian import compound_head

    def listed(word):
        return any(zipf_frequency(word, lang, wordlist="small") for lang in ("da", "nb", "sv"))

    assert compound_head("skråstreg", listed) == "streg"
    assert compound_head("skråstrek", listed) == "strek"
    assert compound_head("felt", listed) == "felt"  # listed: itself


def test_every_spelling_marker_is_right_on_the_word_lists():
    # research/kin_markers.py: on wordfreq's 20,000 most frequent words of each language, at
    # least 95% of what each marker matches (by frequency) is of a language it names.
    from research.kin_markers import precision

    assert [row[0] for row in precision(20_000) if row[4] < 0.95] == []


@pytest.mark.parametrize("given", ["no", "nb", "NO"])
def test_the_declared_source_language_wins_within_its_kin(check, given):
    # A Danish sentence in an article declared Norwegian is taken for Norwegian (the
    # identifier's own answer kept as detected_lang); a German declaration has no say over it.
    sentence = "Skolerne holder lukket resten af ugen."
    findings = audit_between_english(check, sentence, source_lang=given)
    assert [(f.evidence["lang"], f.evidence["detected_lang"]) for f in findings] == [("no", "da")]
    findings = audit_between_english(check, sentence, source_lang="de")
    assert [(f.evidence["lang"], "detected_lang" in f.evidence) for f in findings] == [
        ("da", False)
    ]
