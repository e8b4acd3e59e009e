#!/usr/bin/env python3
"""Writes src/domain/public-holidays.txt, the public holidays the app ships inside its binary.

The days come from python-holidays (https://github.com/vacanza/holidays, MIT licence, by the
vacanza team and its contributors), pinned to version 0.109 in requirements.txt next to this
file. src/domain/holidays.rs embeds the file and answers from it; nothing reads python-holidays
at run time.

To regenerate, from the repository's root:

    python3 -m venv /tmp/hvenv
    /tmp/hvenv/bin/pip install -r scripts/public-holidays/requirements.txt
    /tmp/hvenv/bin/python scripts/public-holidays/generate.py
    /tmp/hvenv/bin/python scripts/public-holidays/generate.py --check

The first run writes the file (in seconds; it prints what it left out, the half days and the
removals); `--check` reads the written file back with a parser of its own and compares every
location and year with python-holidays, exiting 1 on any difference. Then run
`cargo test --lib domain::holidays`. To change the version, change requirements.txt and
PYTHON_HOLIDAYS below together.

What is in it: for every country python-holidays supports (about 250; those in REQUIRED below
must be among them) and each of its subdivisions that has an ISO 3166-2 code (a few of
python-holidays' own codes become ISO's, see ISO_CODES), every day of YEARS in the PUBLIC
category, with python-holidays' substitute and observed days (its default observed=True, named
"... (observed)"), plus the days of the HALF_DAY category where the country has it. Names are in
English where python-holidays has them in English (the country's default language when it is
English, such as en_GB, else en_US, else another English), else in the default language. A
location's answer for a year is exactly what `holidays.country_holidays(country, subdiv=...,
years=year, categories=..., language=...)` gives for the dates of that year. When several
holidays fall on one date, python-holidays joins their names with "; " and so does the file; a
date is a half day only when every holiday on it is in HALF_DAY.

The format: UTF-8, one record a line, fields separated by a tab (shown here as spaces):

    public-holidays/1  python-holidays 0.109  2024  2030   format, source, first and last year
    2284                                                    how many names follow
    Christmas Day                                           the names, sorted; the first is 0
    ...
    =GB                                                     a country's block
    2027-12-25  539                                         a date and its name's index
    2026-12-24  530  h                                      h: a half day
    =GB-SCT                                                 a subdivision's block, after its country's
    2027-11-30  1818                                        a day the country lacks, or another name
                                                            or half-day mark on one of its dates
    2027-12-26  -                                           a day of the country's it does not have

A subdivision has its country's days as changed by its block, which lists only the differences
(and may be empty). Blocks are sorted by code, days by date, one line a date.
"""

import argparse
import datetime
import functools
import re
import sys
from pathlib import Path

import holidays
from holidays import HALF_DAY, PUBLIC

PYTHON_HOLIDAYS = "0.109"
# The app's default window reaches two years back and three ahead: this covers it in 2026-2027.
YEARS = range(2024, 2030 + 1)
# Every country python-holidays knows goes in (about 250, the file stays under 700 KB); these
# must, or the generator stops: the 27 members of the European Union, then the others offices
# are most often in.
REQUIRED = (
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK "
    "GB US CA IN AU JP BR MX CH NO IL AE SG ZA NZ IS"
).split()
FORMAT = "public-holidays/1"
OUT = Path(__file__).resolve().parents[2] / "src" / "domain" / "public-holidays.txt"
# ISO 3166-2 subdivision codes are one to three letters or digits. python-holidays also lists
# cities, school zones and language communities by name ("Augsburg", "Zone A", "Flemish"):
# those are left out, and so are the few codes of its own below. Checked by hand against
# ISO 3166-2 for 0.109 (Norway's 2024 counties, NO-31 to NO-56, are ISO's current codes).
ISO_SUBDIVISION = re.compile(r"^[A-Z0-9]{1,3}$")
# python-holidays' code -> ISO 3166-2's, for the same place.
ISO_CODES = {
    ("BQ", "BON"): "BO",  # Bonaire
    ("BQ", "SAB"): "SA",  # Saba
    ("BQ", "STA"): "SE",  # Sint Eustatius
    ("IT", "AO"): "23",  # Valle d'Aosta: a region that ISO does not split into provinces
}
NOT_ISO = {("MO", "I"), ("MO", "M")}  # Macao's two municipalities have no ISO 3166-2 codes


def language(cls):
    """English if the country has it (its own variety first), else its default language."""
    supported = cls.supported_languages or ()
    default = cls.default_language
    if default is None or default.startswith("en"):
        return default
    for lang in ("en_US", "en_GB"):
        if lang in supported:
            return lang
    english = sorted(lang for lang in supported if lang.startswith("en"))
    return english[0] if english else default


def categories(cls):
    return (PUBLIC, HALF_DAY) if HALF_DAY in cls.supported_categories else (PUBLIC,)


def locations():
    """(country, python-holidays' subdivision or None, code) for every location, sorted by code,
    and what was left out."""
    supported = holidays.list_supported_countries(include_aliases=False)
    missing = sorted(set(REQUIRED) - set(supported))
    if missing:
        sys.exit(f"python-holidays {holidays.__version__} lacks {missing}")
    result, left_out = [], []
    for country in sorted(supported):
        result.append((country, None, country))
        for subdivision in supported[country]:
            iso = ISO_CODES.get((country, subdivision), subdivision)
            if ISO_SUBDIVISION.match(iso) and (country, subdivision) not in NOT_ISO:
                result.append((country, subdivision, f"{country}-{iso}"))
            else:
                left_out.append(f"{country} {subdivision!r}")
    result.sort(key=lambda place: (place[0], place[1] is not None, place[2]))
    return result, left_out


@functools.cache
def country_class(country):
    return holidays.country_holidays(country).__class__


def days_of(country, subdivision, years):
    """{date: (name, half_day)} as python-holidays gives it when asked for `years` (a year or a
    range of them), keeping the dates in those years."""
    cls = country_class(country)
    lang, cats = language(cls), categories(cls)
    years = range(years, years + 1) if isinstance(years, int) else years

    def instance(categories):
        return holidays.country_holidays(
            country, subdiv=subdivision, years=years, categories=categories, language=lang
        )

    named = instance(cats)
    public = instance(PUBLIC) if HALF_DAY in cats else named
    return {day: (name, day not in public) for day, name in named.items() if day.year in years}


def generate():
    if holidays.__version__ != PYTHON_HOLIDAYS:
        sys.exit(f"python-holidays {holidays.__version__} is installed, the generator pins {PYTHON_HOLIDAYS}")
    places, left_out = locations()
    tables = {}
    for country, subdivision, code in places:
        tables[code] = {}
        for year in YEARS:
            tables[code].update(days_of(country, subdivision, year))

    names = sorted({name for days in tables.values() for name, _ in days.values()})
    for name in names:
        if not name or any(c in name for c in "\t\r\n"):
            sys.exit(f"a holiday's name cannot be written on one line: {name!r}")
    index = {name: i for i, name in enumerate(names)}

    def day_line(day, value):
        name, half = value
        return f"{day.isoformat()}\t{index[name]}" + ("\th" if half else "")

    header = f"{FORMAT}\tpython-holidays {PYTHON_HOLIDAYS}\t{YEARS[0]}\t{YEARS[-1]}"
    lines = [header, str(len(names)), *names]
    removals, changes, half_days = [], 0, []
    for country, subdivision, code in places:
        days = tables[code]
        lines.append(f"={code}")
        half_days += [f"{code} {day} {name!r}" for day, (name, half) in sorted(days.items()) if half]
        if subdivision is None:
            lines.extend(day_line(day, value) for day, value in sorted(days.items()))
            continue
        base = tables[country]
        for day in sorted(set(days) | set(base)):
            if day not in days:
                lines.append(f"{day.isoformat()}\t-")
                removals.append(f"{code} {day} {base[day][0]!r}")
            elif base.get(day) != days[day]:
                lines.append(day_line(day, days[day]))
                changes += 1
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")

    size = OUT.stat().st_size
    print(f"wrote {OUT}: {size} bytes, {len(places)} locations, {len(names)} names", file=sys.stderr)
    if size > 700_000:
        print("warning: over 700 KB, consider fewer countries", file=sys.stderr)
    print(f"subdivisions: {changes} days added or changed, {len(removals)} removed", file=sys.stderr)
    print(f"left out (no ISO 3166-2 code): {', '.join(left_out)}", file=sys.stderr)
    print(f"half days ({len(half_days)} location-days), for example:", file=sys.stderr)
    for line in half_days[:: max(1, len(half_days) // 15)]:
        print(f"  {line}", file=sys.stderr)
    print("removals, for example:", file=sys.stderr)
    for line in removals[:: max(1, len(removals) // 30)]:
        print(f"  {line}", file=sys.stderr)


def read(path):
    """The file back as ({code: {date: (name, half_day)}}, source, years), by the format above."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines.pop() == "", "the file ends with a line break"
    fmt, source, first, last = lines[0].split("\t")
    assert fmt == FORMAT, f"unknown format {fmt}"
    count = int(lines[1])
    names = lines[2 : 2 + count]
    result, current, last_day = {}, None, None
    for line in lines[2 + count :]:
        if line.startswith("="):
            assert current is None or line[1:] > current, f"{line[1:]} out of order"
            current, last_day = line[1:], None
            country, _, subdivision = current.partition("-")
            result[current] = dict(result[country]) if subdivision else {}
            continue
        fields = line.split("\t")
        day = datetime.date.fromisoformat(fields[0])
        assert last_day is None or day > last_day, f"{current} {day} out of order"
        last_day = day
        if fields[1:] == ["-"]:
            del result[current][day]
        else:
            assert fields[2:] in ([], ["h"]), line
            result[current][day] = (names[int(fields[1])], fields[2:] == ["h"])
    return result, source, range(int(first), int(last) + 1)


def check():
    """Compares every location and year of the written file with python-holidays."""
    table, source, years = read(OUT)
    places, _ = locations()
    problems, spans = [], []
    if source != f"python-holidays {holidays.__version__}":
        problems.append(f"the file is from {source}, but python-holidays {holidays.__version__} is here")
    if years != YEARS:
        problems.append(f"the file covers {years}, the generator {YEARS}")
    if sorted(table) != sorted(code for _, _, code in places):
        problems.append("the file's locations are not the generator's")
    for country, subdivision, code in places:
        days = table.get(code, {})
        whole = {}
        for year in years:
            expected = days_of(country, subdivision, year)
            got = {day: value for day, value in days.items() if day.year == year}
            if got != expected:
                difference = sorted(set(got.items()) ^ set(expected.items()))
                problems.append(f"{code} {year}: {difference}")
            whole.update(expected)
        # Not a difference of the file's, but worth knowing: python-holidays asked for all the
        # years at once may not answer as it does year by year.
        if days_of(country, subdivision, years) != whole:
            spans.append(code)
    for problem in problems[:50]:
        print(problem, file=sys.stderr)
    if spans:
        print(f"note: asked for all years at once, python-holidays differs for {spans}", file=sys.stderr)
    total = sum(len(days) for days in table.values())
    print(
        f"checked {len(places)} locations x {len(years)} years ({total} location-days): "
        f"{len(problems)} differences",
        file=sys.stderr,
    )
    return 1 if problems else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare the file with python-holidays")
    sys.exit(check() if parser.parse_args().check else generate())
