#!/usr/bin/env python3
"""Checks a `dossier export --format ftm` file with FollowTheMoney itself.

    python3 -m venv .ftm && .ftm/bin/pip install followthemoney
    dossier export --format ftm > corpus.ftm.json
    .ftm/bin/python tests/ftm/validate.py corpus.ftm.json

Every line must load with `model.get_proxy(data, cleaned=False)`: a known
schema, only properties that schema has, each value still there after
FtM's own cleaning (dates, URLs, entity references), and every required
property set. Each id must be unique, and each entity reference (a
Mention's `document` and `resolved`) must name an entity in the file. It
prints a summary by schema, and exits 1 on the first problems.
"""

import json
import sys
from collections import Counter

import followthemoney
from followthemoney import model
from followthemoney.exc import InvalidData


def main(path: str) -> int:
    problems = []
    ids = set()
    refs = []
    schemata = Counter()
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            data = json.loads(line)
            try:
                proxy = model.get_proxy(data, cleaned=False)
            except InvalidData as e:
                problems.append(f"{path}:{n}: {e}")
                continue
            schemata[proxy.schema.name] += 1
            if proxy.id in ids:
                problems.append(f"{path}:{n}: duplicate id {proxy.id}")
            ids.add(proxy.id)
            for name, values in data["properties"].items():
                kept = proxy.get(name)
                if sorted(kept) != sorted(values):
                    problems.append(f"{path}:{n}: {name}: {values} cleaned to {kept}")
            for prop in proxy.schema.required:
                if not proxy.get(prop):
                    problems.append(f"{path}:{n}: {proxy.schema.name} lacks {prop}")
            for prop, value in proxy.itervalues():
                if prop.type.name == "entity":
                    refs.append((n, prop.name, value))
    for n, prop, value in refs:
        if value not in ids:
            problems.append(f"{path}:{n}: {prop} names {value}, which is not in the file")
    for p in problems[:20]:
        print(p)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(schemata.items()))
    print(
        f"followthemoney {followthemoney.__version__}: {sum(schemata.values())} entities "
        f"({summary}); {len(refs)} references; {len(problems)} problems"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
