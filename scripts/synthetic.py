"""A synthetic corpus of near-duplicate plans for benchmarks, built deterministically from data/raw.

Each synthetic plan is one seed plan with its top-level sections shuffled, some
numbers changed, a few neighbouring characters swapped and its place names
replaced by another division of the same level from the gazetteer: the kind of
family of near-copies a real corpus of county plans is.

    python scripts/synthetic.py 1000 /tmp/raw1000
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_TOP = re.compile(r"^[一二三四五六七八九十]+、", re.M)
_NUMBER = re.compile(r"(?<![\d〔(（])(\d{1,3})(?=\s*(?:%|个|项|家|名|种|批次))")
_CJK_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")


def _divisions() -> dict[str, list[tuple[str, str]]]:
    from policycompare.rules.gazetteer import gazetteer, short_name

    out: dict[str, list[tuple[str, str]]] = {}
    for div in gazetteer():
        out.setdefault(div.level, []).append((div.name, short_name(div.name)))
    return out


def _shuffle_sections(text: str, rng: random.Random) -> str:
    starts = [m.start() for m in _TOP.finditer(text)]
    if len(starts) < 3:
        return text
    head, body_end = text[: starts[0]], len(text)
    blocks = [text[s:e] for s, e in zip(starts, starts[1:] + [body_end])]
    middle = blocks[1:-1]  # keep the first and the last section in place
    rng.shuffle(middle)
    return head + "".join([blocks[0], *middle, blocks[-1]])


def _change_numbers(text: str, rng: random.Random) -> str:
    def repl(m: re.Match) -> str:
        if rng.random() < 0.5:
            return m.group(1)
        value = int(m.group(1))
        return str(max(1, value + rng.choice((-3, -2, -1, 1, 2, 3))))

    return _NUMBER.sub(repl, text)


def _swap_characters(text: str, rng: random.Random, rate: float = 0.004) -> str:
    chars = list(text)
    for m in _CJK_PAIR.finditer(text):
        if rng.random() < rate:
            i = m.start()
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def synthetic_plan(seed_text: str, seed_place: tuple[str, str], level: str, index: int,
                   divisions: dict[str, list[tuple[str, str]]]) -> str:
    """Plan number ``index`` made from one seed text (deterministic in ``index``)."""
    rng = random.Random(index)
    name, short = seed_place
    new_name, new_short = rng.choice(divisions[level])
    text = seed_text.replace(name, new_name)
    if len(short) >= 2 and short != name:
        text = text.replace(short, new_short)
    text = _shuffle_sections(text, rng)
    text = _change_numbers(text, rng)
    return _swap_characters(text, rng)


def build(n: int, out: Path, raw: Path = ROOT / "data" / "raw") -> list[Path]:
    """Write ``n`` synthetic plans into ``out`` (created); returns their paths."""
    import policycompare as pc

    seeds = pc.load_corpus(raw)
    divisions = _divisions()
    sources = []
    for plan in seeds:
        level = plan.metadata.get("level") or "prefecture"
        place = plan.metadata.get("jurisdiction") or ""
        from policycompare.ingest.text import read_text
        from policycompare.rules.gazetteer import short_name

        text = read_text(plan.path).text
        sources.append((plan.plan_id, text, (place, short_name(place)) if place else ("", ""), level))
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        seed_id, text, place, level = sources[i % len(sources)]
        body = synthetic_plan(text, place, level, i, divisions) if place[0] else text
        path = out / f"{seed_id.split('_')[0]}_{i:05d}.txt"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    paths = build(args.n, args.out)
    print(f"{len(paths)} plans in {args.out}")


if __name__ == "__main__":
    main()
