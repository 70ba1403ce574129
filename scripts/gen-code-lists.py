#!/usr/bin/env python3
"""Generate assets/code-lists/countries.json and assets/code-lists/languages.json.

The output is committed; this script is never run by the build. Re-run it only to refresh the
lists (a new iso-codes release, a new UI language) and review the diff before committing:

    python3 -m venv /tmp/gen-venv
    /tmp/gen-venv/bin/pip install pycountry==26.2.16 babel==2.19.0
    /tmp/gen-venv/bin/python scripts/gen-code-lists.py

Needs pycountry (ISO codes and the Debian iso-codes translations it bundles) and Babel (Unicode
CLDR names, used where iso-codes has no or poor translations, see below). assets/code-lists/htcds.json
is written by hand and is not produced here.

Codes and English names:
  countries  every current ISO 3166-1 alpha-2 code; English is pycountry's common_name, else name.
  languages  every language that has an ISO 639-1 code, keyed by its ISO 639-2/T (pycountry
             alpha_3) code; English is pycountry's common_name, else name, with a few qualifiers
             such as "(macrolanguage)" dropped (EN_LANGUAGE_NAMES).

Labels in the other UI languages ("sq" Albanian, "sr" Serbian in Latin script):
  countries  iso-codes iso3166-1 catalogue (locales "sq", "sr@latin") for the English name used,
             then CLDR, then iso-codes for the formal name, then English.
  languages  CLDR first: iso-codes' iso639-3 catalogue has no Albanian translations at all, and its
             sr@latin one is incomplete and names several scripts instead of languages ("tamilsko
             pismo") or the wrong language ("hindu"); then iso-codes, then English.
  Language names are capitalised, as they stand alone in a list.
Counts of labels that fell back to English are printed.
"""

import gettext
import json
import sys
from pathlib import Path

import pycountry
from babel import Locale

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "code-lists"

# UI language -> (iso-codes gettext locale, CLDR locale)
UI_LANGUAGES = {"sq": ("sq", "sq"), "sr": ("sr@latin", "sr_Latn")}

# English names from iso-codes that read badly in a picker.
EN_LANGUAGE_NAMES = {
    "ell": "Greek",  # "Modern Greek (1453-)"
    "ina": "Interlingua",  # "Interlingua (International Auxiliary Language Association)"
    "msa": "Malay",  # "Malay (macrolanguage)"
    "nep": "Nepali",
    "oci": "Occitan",  # "Occitan (post 1500)"
    "ori": "Oriya",
    "swa": "Swahili",
}

CYRILLIC = range(0x0400, 0x0530)


def catalog(domain, locale):
    """The iso-codes message catalogue, as a dict msgid -> msgstr (missing ones are absent)."""
    t = gettext.translation(domain, pycountry.LOCALES_DIR, languages=[locale], fallback=True)
    cat = dict(getattr(t, "_catalog", {}))
    cat.pop("", None)  # the header
    return {k: v for k, v in cat.items() if isinstance(k, str) and v}


def first(*candidates):
    for c in candidates:
        if c:
            return c
    return None


def countries():
    values = []
    fallbacks = {ui: [] for ui in UI_LANGUAGES}
    cats = {ui: catalog("iso3166-1", gettext_loc) for ui, (gettext_loc, _) in UI_LANGUAGES.items()}
    cldr = {ui: Locale.parse(cldr_loc) for ui, (_, cldr_loc) in UI_LANGUAGES.items()}
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        en = getattr(c, "common_name", None) or c.name
        row = {"code": c.alpha_2, "en": en}
        for ui in UI_LANGUAGES:
            label = first(cats[ui].get(en), cldr[ui].territories.get(c.alpha_2), cats[ui].get(c.name))
            if not label:
                fallbacks[ui].append(c.alpha_2)
                label = en
            row[ui] = label
        values.append(row)
    # Kosovo has no ISO 3166-1 entry; XK is the user-assigned code the EU, IOM and most registries
    # use. Shelters in the region meet people from Kosovo every week, so it is on the list.
    values.append({"code": "XK", "en": "Kosovo", "sq": "Kosovë", "sr": "Kosovo"})
    values.sort(key=lambda row: row["code"])
    return {"source": "ISO 3166-1 via pycountry/iso-codes, plus XK (Kosovo)", "values": values}, fallbacks


def capitalise(s):
    return s[:1].upper() + s[1:]


def languages():
    values = []
    fallbacks = {ui: [] for ui in UI_LANGUAGES}
    cats = {ui: catalog("iso639-3", gettext_loc) for ui, (gettext_loc, _) in UI_LANGUAGES.items()}
    cldr = {ui: Locale.parse(cldr_loc) for ui, (_, cldr_loc) in UI_LANGUAGES.items()}
    langs = [l for l in pycountry.languages if getattr(l, "alpha_2", None)]
    for l in sorted(langs, key=lambda l: l.alpha_3):
        en = EN_LANGUAGE_NAMES.get(l.alpha_3) or getattr(l, "common_name", None) or l.name
        row = {"code": l.alpha_3, "en": en}
        for ui in UI_LANGUAGES:
            label = first(cldr[ui].languages.get(l.alpha_2), cats[ui].get(l.name))
            if not label:
                fallbacks[ui].append(l.alpha_3)
                label = en
            row[ui] = capitalise(label.strip())
        values.append(row)
    return {"source": "ISO 639-2/T via pycountry/iso-codes", "values": values}, fallbacks


def check(name, doc):
    codes = [v["code"] for v in doc["values"]]
    assert len(codes) == len(set(codes)), f"{name}: duplicate codes"
    for v in doc["values"]:
        for k in ("code", "en", *UI_LANGUAGES):
            assert v[k] and v[k] == v[k].strip(), f"{name}: {v}"
        assert not any(ord(ch) in CYRILLIC for ch in v["sr"]), f"{name}: Cyrillic in {v}"


def write(name, doc):
    check(name, doc)
    path = OUT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}: {len(doc['values'])} values")


def main():
    for name, build in (("countries.json", countries), ("languages.json", languages)):
        doc, fallbacks = build()
        write(name, doc)
        for ui, codes in fallbacks.items():
            print(f"  {ui}: {len(codes)} label(s) fell back to English" + (f": {', '.join(codes)}" if codes else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
