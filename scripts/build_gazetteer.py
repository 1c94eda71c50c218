"""Rebuild ``src/policycompare/data/gazetteer.csv`` from the adcode table of ``cpca``.

Source: the ``cpca`` package on PyPI (MIT licence, (c) 2018 QinYuan Du),
file ``cpca/resources/adcodes.csv`` (administrative division codes of the
PRC, 2020 edition, province / prefecture / county levels).  The package itself
is not a runtime dependency: only this compact derived table is shipped.

Renamed units: the table keeps the names of its edition (怀仁县, 宁乡县).  A 县 that
became a county-level city later is found at lookup time under the name a text
uses (怀仁市 -> the row of 怀仁县, reported as 怀仁市: ``gazetteer._became_city``,
``gazetteer.division_of``), so no rename list has to be kept here.

Usage::

    pip download --no-deps cpca==0.5.5 -d /tmp/cpca && unzip /tmp/cpca/*.whl -d /tmp/cpca
    python scripts/build_gazetteer.py /tmp/cpca/cpca/resources/adcodes.csv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
OUT = Path(__file__).resolve().parents[1] / "src" / "policycompare" / "data" / "gazetteer.csv"


def main(src: str) -> None:
    names: dict[str, str] = {}
    with open(src, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            names[row["adcode"][:6]] = row["name"].strip()
    rows = []
    for code, name in sorted(names.items()):
        if name in PLACEHOLDERS:
            continue
        if code.endswith("0000"):
            level, parent = "province", ""
        elif code.endswith("00"):
            level, parent = "prefecture", code[:2] + "0000"
        else:
            level = "county"
            parent = code[:4] + "00"
            if names.get(parent, "") in PLACEHOLDERS or parent not in names:
                parent = code[:2] + "0000"
        province = names.get(code[:2] + "0000", "")
        rows.append((code, name, level, parent, province))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        fh.write("# Administrative divisions of the PRC (2020), derived from cpca/resources/adcodes.csv\n")
        fh.write("# (PyPI package cpca 0.5.5, MIT licence). Rebuild with scripts/build_gazetteer.py.\n")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["adcode", "name", "level", "parent", "province"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} divisions to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
