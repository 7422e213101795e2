"""Signing cost: SDK-HMAC-SHA256 signatures per second, ours against the official SDK's.

The same generated requests (the calls the product makes: instance reads and updates,
lease renewals, list calls with a query; JSON bodies; ``Content-Type``, ``X-Project-Id``,
sometimes ``X-Security-Token``; a fixed ``X-Sdk-Date``) are signed by
``jupyter_devenv.modelarts.signer.sign`` and by ``huaweicloudsdkcore``'s ``Signer`` (a
test-only dependency, the oracle). Both must give the same ``Authorization`` first.
Only the signing call is timed: the SDK's request objects are built beforehand, one per
call, since its ``sign`` adds headers to the object it is given. Rounds alternate; the
best round of each is kept (the least disturbed by a shared machine).

    python benchmarks/bench_signing.py [--requests 2000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from types import SimpleNamespace
from typing import Any, Dict, List, Tuple

from common import QUICK, load_line, table

from jupyter_devenv.modelarts import signer

AK, SK = "EXAMPLEAK0000000001X", "example-secret-key-0000000000000000000001"
HOST = "modelarts.cn-north-4.myhuaweicloud.com"
PROJECT = "0a1b2c3d4e5f40718293a4b5c6d7e8f9"


def requests(n: int, seed: int = 7) -> List[Dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = rng.choice(["get", "put", "lease", "list"])
        iid = f"DE-{rng.getrandbits(128):032x}" if kind in ("get", "put") else f"{rng.getrandbits(128):032x}"
        headers = {"X-Sdk-Date": "20261129T120000Z", "X-Project-Id": PROJECT}
        query: List[Tuple[str, str]] = []
        body = b""
        if kind == "get":
            method, path = "GET", f"/v1/{PROJECT}/demanager/instances/{iid}"
        elif kind == "put":
            method, path = "PUT", f"/v1/{PROJECT}/demanager/instances/{iid}"
            body = json.dumps(
                {
                    "description": f"note {i}",
                    "spec": {
                        "auto_stop": {
                            "enable": True,
                            "duration": rng.randint(3600, 86400),
                            "prompt": rng.random() < 0.5,
                        }
                    },
                }
            ).encode()
        elif kind == "lease":
            method, path = "PATCH", f"/v1/{PROJECT}/notebooks/{iid}/lease"
            body = json.dumps({"duration": rng.randint(1, 72) * 3_600_000, "type": "TIMING"}).encode()
        else:
            method, path = "GET", f"/v1/{PROJECT}/demanager/instances"
            query = [("de_type", "Notebook"), ("limit", str(rng.randint(1, 100))), ("offset", "0")]
        if body:
            headers["Content-Type"] = "application/json"
        if rng.random() < 0.3:
            headers["X-Security-Token"] = "".join(rng.choice("ABCDEFabcdef0123456789+/=") for _ in range(200))
        out.append({"method": method, "path": path, "query": query, "headers": headers, "body": body})
    return out


def ours(r: Dict[str, Any]) -> str:
    return signer.sign(r["method"], HOST, r["path"], r["query"], r["headers"], r["body"], AK, SK)[
        "Authorization"
    ]


def sdk_objects(reqs: List[Dict[str, Any]]):
    from huaweicloudsdkcore.sdk_request import SdkRequest

    return [
        SdkRequest(
            method=r["method"],
            schema="https",
            host=HOST,
            resource_path=r["path"],
            query_params=list(r["query"]),
            header_params=dict(r["headers"]),
            body=r["body"] or None,
        )
        for r in reqs
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000, help="requests per round")
    parser.add_argument("--rounds", type=int, default=3 if QUICK else 7)
    parser.add_argument("--quick", action="store_true", help="3 rounds")
    args = parser.parse_args()
    rounds = 3 if args.quick else args.rounds
    from huaweicloudsdkcore.signer.signer import Signer

    sdk = Signer(SimpleNamespace(ak=AK, sk=SK))
    reqs = requests(args.requests)
    # Same answers first: a fast signer that signs wrongly would be worth nothing.
    mismatches = sum(
        ours(r) != sdk.sign(o).header_params["Authorization"] for r, o in zip(reqs, sdk_objects(reqs))
    )
    if mismatches:
        print(f"{mismatches} of {len(reqs)} signatures differ from the SDK's")
        return 1
    print(load_line())
    best = {"ours": float("inf"), "sdk": float("inf")}
    for _ in range(rounds):
        objects = sdk_objects(reqs)
        t0 = time.perf_counter()
        for o in objects:
            sdk.sign(o)
        best["sdk"] = min(best["sdk"], time.perf_counter() - t0)
        t0 = time.perf_counter()
        for r in reqs:
            signer.sign(r["method"], HOST, r["path"], r["query"], r["headers"], r["body"], AK, SK)
        best["ours"] = min(best["ours"], time.perf_counter() - t0)
    rate = {k: len(reqs) / v for k, v in best.items()}
    print(
        f"Signing: {len(reqs)} requests per round, best of {rounds} rounds; identical Authorization for all"
    )
    print(
        table(
            ["signer", "signatures/s", "µs per signature"],
            [
                ["jupyter_devenv.modelarts.signer.sign", f"{rate['ours']:.0f}", f"{1e6 / rate['ours']:.1f}"],
                ["huaweicloudsdkcore Signer.sign", f"{rate['sdk']:.0f}", f"{1e6 / rate['sdk']:.1f}"],
            ],
        )
    )
    print(
        "RESULT "
        + json.dumps({"bench": "signing", "ours_per_s": round(rate["ours"]), "sdk_per_s": round(rate["sdk"])})
    )
    print(f"ratio: ours / SDK signatures per second {rate['ours'] / rate['sdk']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
