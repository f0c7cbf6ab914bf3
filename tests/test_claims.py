"""docs/claims.md is generated from the engine and must not drift; spot-check its facts."""
import os

from costmodel.claims import render
from tests.conftest import ROOT, SPECS


def test_docs_claims_is_current():
    with open(os.path.join(ROOT, "docs", "claims.md"), encoding="utf-8") as f:
        assert render(SPECS) == f.read(), "regenerate: python -m costmodel claims > docs/claims.md"


def test_claims_hold_the_published_facts():
    text = render(SPECS)
    # MobileNets Table 3: standard 462,422,016 (3·3·512·512·14·14) vs separable 52,283,392
    assert f"{3*3*512*512*14*14:,} | {3*3*512*14*14 + 512*512*14*14:,}" in text
    # SqueezeNet 1.0: 1,248,424 params (paper Table 1) × 4 bytes = 4,993,696 B = 4.76 MiB
    assert f"{4_993_696 / 2**20:.2f} MiB" in text
    # AlexNet (Caffe) 60,965,224 / SqueezeNet 1,248,424 = 48.8x (the paper's "50x")
    assert "48.8× the parameters" in text
