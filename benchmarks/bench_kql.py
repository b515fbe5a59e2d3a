"""KQL parse (and to-DSL) throughput against Kibana's own budgets, measured not asserted.

Kibana's ast tests want > 1,000 parses/s for a simple expression and > 100/s for a 5 KB
one; the baseline column is Python's ``json.loads`` of the same text, run in the same
process, to make the figure comparable across machines.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from kbn_saved_objects.search.kql import parse_kql, to_dsl

SIMPLE = (
    "not fleet-agent-actions.attributes.sent_at: * and "
    "fleet-agent-actions.attributes.agent_id:1234567"
)
LARGE = " or ".join(f'(dashboard.attributes.title: "title {i}" and count > {i})' for i in range(90))


def rate(run: Callable[[], object], seconds: float = 1.0) -> float:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        run()
        count += 1
    return count / (time.perf_counter() - start)


def main() -> None:
    print(f"{'case':<28}{'per s':>12}{'kibana bar':>12}")
    for name, text, bar in (("simple", SIMPLE, 1000), (f"large ({len(LARGE)} B)", LARGE, 100)):
        print(f"{'parse ' + name:<28}{rate(lambda t=text: parse_kql(t)):>12,.0f}{bar:>12}")
        node = parse_kql(text)
        print(f"{'to_dsl ' + name:<28}{rate(lambda n=node: to_dsl(n)):>12,.0f}{'':>12}")
        payload = json.dumps({"q": text})
        print(f"{'json.loads baseline ' + name:<28}{rate(lambda p=payload: json.loads(p)):>12,.0f}")


if __name__ == "__main__":
    main()
