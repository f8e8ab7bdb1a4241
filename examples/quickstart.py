"""calicopy quick start: load the seed manifests, validate, default, and evaluate selectors.

Run from the repository root:  python examples/quickstart.py
"""

from __future__ import annotations

from pathlib import Path

import calicopy
from calicopy import IPPool, NetworkPolicy

HERE = Path(__file__).resolve().parent / "manifests"


def main() -> None:
    # 1. A v3 manifest, checked exactly as calicoctl checks it.
    (pool,) = calicopy.load(HERE / "pool1.yaml")
    assert isinstance(pool, IPPool)
    print(f"loaded {pool.label}: cidr={pool.spec.cidr} ipipMode={pool.spec.ipip_mode}")

    # 2. libcalico-go's create-time defaults.
    filled = calicopy.default(pool)
    print("defaulted spec:", filled.to_dict()["spec"])

    # 3. A policy and its selectors.
    (policy,) = calicopy.load(HERE / "allow-tcp-6379.yaml")
    assert isinstance(policy, NetworkPolicy)
    applies_to = calicopy.selector.parse(policy.spec.selector)
    allowed_from = calicopy.selector.parse(policy.spec.ingress[0].source.selector)
    pods = {
        "redis-0": {"role": "database"},
        "web-1": {"role": "frontend"},
        "batch-2": {"role": "batch"},
    }
    for pod, labels in pods.items():
        print(f"{pod:8} policy applies: {applies_to.matches(labels)!s:5}  may connect: {allowed_from.matches(labels)}")
    print("canonical selector:", applies_to)

    # 4. Bad input gets a clear error naming the field.
    try:
        IPPool(metadata={"name": "bad"}, spec={"cidr": "10.9.0.5/16"})
    except calicopy.ValidationError as exc:
        print("rejected:", exc)

    # 5. Output as calicoctl get -o yaml prints it.
    print(calicopy.dump([filled]))


if __name__ == "__main__":
    main()
