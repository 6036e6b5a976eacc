"""Language codes and names as reports give them.

Reports use ISO 639-1 codes, as langdetect and front matter write them; wordfreq has its own
for two of the source languages (Norwegian Bokmål "nb", romanized Russian "ru-Latn").
"""

from __future__ import annotations

# The codes reports use (ISO 639-1, as langdetect and front matter write them).
REPORT_CODE = {"nb": "no", "ru-Latn": "ru"}
LANGUAGE_NAMES = {
    "de": "German",
    "it": "Italian",
    "no": "Norwegian",
    "fr": "French",
    "es": "Spanish",
    "pl": "Polish",
    "nl": "Dutch",
    "ru": "Russian",
    "pt": "Portuguese",
    "sv": "Swedish",
    "da": "Danish",
    "cs": "Czech",
    "uk": "Ukrainian",
    "fi": "Finnish",
    "ro": "Romanian",
    "hu": "Hungarian",
    "tr": "Turkish",
    "hr": "Croatian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "bg": "Bulgarian",
    "el": "Greek",
    "sr": "Serbian",
    "mk": "Macedonian",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "et": "Estonian",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "ar": "Arabic",
    "he": "Hebrew",
    "fa": "Persian",
    "hi": "Hindi",
}
# Report code -> wordfreq code, where they differ (wordfreq has one list for Serbo-Croatian).
WORDFREQ_CODE = {"no": "nb", "ru": "ru-Latn", "hr": "sh", "sr": "sh", "bs": "sh"}


def code(lang: str) -> str:
    return REPORT_CODE.get(lang, lang)


def language_name(report_code: str) -> str:
    return LANGUAGE_NAMES.get(report_code, report_code)


def wordfreq_code(report_code: str) -> str:
    return WORDFREQ_CODE.get(report_code, report_code)
