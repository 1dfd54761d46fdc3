"""Generate program-scale journeys for the benchmarks.

A program of many courses: touchpoints in stage order, each leading on to
about three touchpoints of a later stage, a few learners starting at each of
several entries, credentials issued at a handful of touchpoints per course,
claim reminders that loop back to the claim page, and copy that sometimes
names a credential. Seeded, so every run measures the same journey.

Usage: python bench/generate.py TOUCHPOINTS OUT.json [--seed N]
"""

from __future__ import annotations

import argparse
import json
import random
from typing import Any

from journeys.model import CHANNELS, MESSAGE_KINDS

PHASES = ["discover", "learn", "learn", "learn", "earn", "issue", "claim", "share", "use"]
OWNERS = ["issuer", "faculty", "career_services", "employer", "learner", "other"]


def journey(
    touchpoints: int, *, credentials: int = 5, seed: int = 1, acyclic: bool = False
) -> dict[str, Any]:
    """Return a journey document with about ``touchpoints`` touchpoints and 3 transitions each.

    ``acyclic`` leaves out the claim reminders that lead back, for the floor of
    ``bench/engine.py``, whose topological sort needs a graph without cycles.
    """
    rng = random.Random(seed)
    stages = [
        {"id": f"s{i}", "name": f"Stage {i + 1}", "phase": PHASES[i * len(PHASES) // 30]}
        for i in range(30)
    ]
    creds = [
        {
            "id": f"cred-{c}",
            "name": f"Skill Badge {c}",
            "aliases": [f"badge {c}"],
            "description": "Evidence of a skill employers in the region asked for.",
            "skills": ["Communicate data", "Work safely"],
            "requires_claim": c % 2 == 0,
        }
        for c in range(credentials)
    ]
    per_stage = touchpoints // len(stages)
    levels: list[list[str]] = []
    tps: list[dict[str, Any]] = []
    for si, stage in enumerate(stages):
        level = []
        for k in range(per_stage):
            tid = f"t{si}-{k}"
            level.append(tid)
            tp: dict[str, Any] = {
                "id": tid,
                "title": f"{stage['name']} touchpoint {k}",
                "stage": stage["id"],
                "channel": rng.choice(CHANNELS),
                "owner": rng.choice(OWNERS),
                "content": "Please complete the activity this week. " * rng.randint(1, 4),
                "reach": rng.choice([0.4, 0.6, 0.8, 1.0]),
            }
            if rng.random() < 0.15:
                c = rng.randrange(credentials)
                tp["messages"] = {f"cred-{c}": rng.sample(MESSAGE_KINDS, rng.randint(1, 4))}
            if rng.random() < 0.05:
                tp["content"] += f" It counts towards Skill Badge {rng.randrange(credentials)}."
            if stage["phase"] == "issue" and rng.random() < 0.02:
                tp["issues"] = [f"cred-{rng.randrange(credentials)}"]
            if si == 0:
                tp["entry"] = True
                tp["entry_share"] = rng.choice([1, 2, 3])
            tps.append(tp)
        levels.append(level)
    transitions = []
    for si, level in enumerate(levels[:-1]):
        for tid in level:
            targets = set()
            while len(targets) < 3:
                ahead = levels[min(len(levels) - 1, si + rng.choice([1, 1, 1, 2]))]
                targets.add(rng.choice(ahead))
            transitions += [{"from": tid, "to": t} for t in sorted(targets)]
    # Claim reminders: some touchpoints send learners back to where they came from.
    for tr in [] if acyclic else rng.sample(transitions, len(transitions) // 200):
        back = {"from": tr["to"], "to": tr["from"], "share": 0.1}
        transitions.append(back)
    pairs = set()
    unique = []
    for tr in transitions:
        if (tr["from"], tr["to"]) not in pairs:
            pairs.add((tr["from"], tr["to"]))
            unique.append(tr)
    return {
        "format": "claimpath-journey/1",
        "title": f"Program-scale journey ({len(tps)} touchpoints)",
        "description": "Generated for benchmarks.",
        "credentials": creds,
        "stages": stages,
        "touchpoints": tps,
        "transitions": unique,
        "requirements": None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("touchpoints", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(journey(args.touchpoints, seed=args.seed), fh)


if __name__ == "__main__":
    main()
