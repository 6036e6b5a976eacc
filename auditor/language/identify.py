"""Sentence language identification, deterministic, restricted to the languages that can
occur in English news copy."""

from __future__ import annotations

# The languages a detector may answer: English, the European languages wire copy comes from,
# and the scripts that mark themselves. Left free, detectors call short English lines
# Tagalog, Indonesian, Welsh or Nigerian Pidgin (see research/unt_lex.py). Serbian is
# lingua's alone (langdetect and py3langid lack it); Bosnian is left out: its sentences are
# Croatian or Serbian ones to any detector.
DETECTOR_LANGUAGES = tuple(
    """en de it fr es pt nl no da sv fi et lv lt pl cs sk hu ro hr sl sr tr ru uk bg el zh ja
    ko ar he fa hi""".split()
)
DETECTORS = ("lingua", "langdetect", "py3langid")


class LanguageIdentifier:
    """Sentence language identification, deterministic, among DETECTOR_LANGUAGES.

    ``lingua`` (the default; lingua-language-detector) is a rule-and-n-gram model with every
    European language; it is built in low-accuracy mode (trigrams only: ~90 MB for all the
    languages above, each loaded on first need, against ~650 MB with the high-accuracy
    models), which names sentences of four words or more as well here (``python -m research
    planted``). ``langdetect`` samples n-grams at random: its profiles are loaded in a fixed
    order and its seed fixed, so the same text always gets the same answer. ``py3langid`` (the
    "langid" extra) is a naive Bayes model, deterministic by construction and faster.
    """

    def __init__(
        self,
        detector: str = "lingua",
        seed: int = 0,
        languages: tuple[str, ...] | None = DETECTOR_LANGUAGES,
    ) -> None:
        self.detector = detector
        if detector == "lingua":
            self._lingua = _lingua_detector(languages)
            return
        if detector == "py3langid":
            from py3langid.langid import MODEL_FILE
            from py3langid.langid import LanguageIdentifier as LangId

            self._langid = LangId.from_model_file(MODEL_FILE, norm_probs=True)
            if languages:
                self._langid.set_languages([lang for lang in languages if lang != "sr"])
            return
        from pathlib import Path

        import langdetect
        from langdetect.detector_factory import DetectorFactory

        profiles = Path(langdetect.__file__).parent / "profiles"
        factory = DetectorFactory()
        factory.load_json_profile(
            [p.read_text(encoding="utf-8") for p in sorted(profiles.iterdir()) if p.is_file()]
        )
        factory.seed = seed
        self._factory = factory
        self._prior = {
            lang: 1.0
            for lang in factory.get_lang_list()
            if languages is None or lang.split("-")[0] in languages
        }

    def probabilities(self, text: str) -> list[tuple[str, float]]:
        """(language, probability), most likely first; languages as ISO 639-1 codes
        (Norwegian Bokmål as "no")."""
        if self.detector == "lingua":
            values = self._lingua.compute_language_confidence_values(text)[:6]
            return [(_lingua_code(v.language), float(v.value)) for v in values]
        if self.detector == "py3langid":
            return [(lang, float(p)) for lang, p in self._langid.rank(text)[:3]]
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._factory.create()
        detector.set_prior_map(self._prior)
        detector.append(text)
        try:
            return [(p.lang.split("-")[0], p.prob) for p in detector.get_probabilities()]
        except LangDetectException:
            return []


def _lingua_detector(languages: tuple[str, ...] | None):
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    if languages is None:
        builder = LanguageDetectorBuilder.from_all_languages()
    else:
        codes = [IsoCode639_1.from_str("nb" if lang == "no" else lang) for lang in languages]
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
    # Models load lazily, language by language, the first time a sentence needs them.
    return builder.with_low_accuracy_mode().build()


def _lingua_code(language) -> str:
    iso = language.iso_code_639_1.name.lower()
    return "no" if iso in ("nb", "nn") else iso
