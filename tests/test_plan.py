"""Plan.from_dict: the plan back from its JSON, its repeated short strings shared between plans."""

from __future__ import annotations

import json
from pathlib import Path

import policycompare as pc
from policycompare.plan import SHARED_CHARS, Plan

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def _from_json(plan: Plan) -> Plan:
    return Plan.from_dict(json.loads(json.dumps(plan.to_dict(), ensure_ascii=False)))


def test_from_dict_shares_tokens_and_short_values_between_plans():
    hunan, lingwu = pc.read_plan(RAW / "hunan_2017.txt"), pc.read_plan(RAW / "lingwu_2017.txt")
    a, b = _from_json(hunan), _from_json(lingwu)
    assert a == hunan and b == lingwu  # equal values …
    # … and one object per distinct token across both plans (JSON makes one per occurrence)
    tokens = [t for plan in (a, b) for toks in plan.task_tokens for t in toks]
    assert len({id(t) for t in tokens}) == len(set(tokens)) < len(tokens)
    assert "标准" in set(tokens)
    roles = [row["role"] for plan in (a, b) for row in plan.agency_rows]
    assert len({id(r) for r in roles}) == len(set(roles))
    # a task's own text (longer than SHARED_CHARS) is left as it is: each is found once anyway
    long_texts = [t["text"] for t in a.structure.tasks if len(t["text"]) > SHARED_CHARS]
    assert long_texts and all(t == u["text"] for t, u in zip(long_texts, [t for t in hunan.structure.tasks
                                                                             if len(t["text"]) > SHARED_CHARS]))
    assert a.to_dict() == hunan.to_dict()
