"""Sentence language identification, deterministic, restricted to the languages that can
occur in English news copy."""

from __future__ import annotations

# The languages a detector may answer: English, the languages syndicated news is translated
# from, and the scripts that mark themselves. Left free, detectors call short English lines
# Tagalog, Indonesian, Welsh or Nigerian Pidgin (see research/unt_lex.py).
DETECTOR_LANGUAGES = tuple(
    """en de it fr es pt nl no da sv fi pl cs sk hu ro hr sl tr ru uk bg el zh ja ko ar he fa
    hi""".split()
)


class LanguageIdentifier:
    """Sentence language identification, deterministic, among DETECTOR_LANGUAGES.

    ``langdetect`` (the default) samples n-grams at random: its profiles are loaded in a fixed
    order and its seed fixed, so the same text always gets the same answer. ``py3langid`` (the
    "langid" extra) is a naive Bayes model, deterministic by construction and faster.
    """

    def __init__(
        self,
        detector: str = "langdetect",
        seed: int = 0,
        languages: tuple[str, ...] | None = DETECTOR_LANGUAGES,
    ) -> None:
        self.detector = detector
        if detector == "py3langid":
            from py3langid.langid import MODEL_FILE
            from py3langid.langid import LanguageIdentifier as LangId

            self._langid = LangId.from_model_file(MODEL_FILE, norm_probs=True)
            if languages:
                self._langid.set_languages(list(languages))
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
        """(language, probability), most likely first; languages as ISO 639-1 codes."""
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
