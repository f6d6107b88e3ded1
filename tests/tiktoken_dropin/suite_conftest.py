"""conftest.py for a copy of tiktoken's own test suite: run it against tokvec.tiktoken or, as the control, tiktoken.

tests/tiktoken_dropin/test_tiktoken_suite.py copies the suite's files (unchanged) into a temporary folder, writes
this file beside them as conftest.py and runs pytest there in a fresh process with:

- ``TIKTOKEN_SUITE_TARGET``: ``tokvec`` (``tiktoken`` in sys.modules is tokvec.tiktoken, also in the
  subprocesses the suite starts) or ``tiktoken`` (the real one);
- ``TIKTOKEN_CACHE_DIR``: a tiktoken cache filled from the shared rank files, so that neither needs the network.

Real tiktoken reads GPT-2's ranks from vocab.bpe + encoder.json, which the shared data lacks; they are the same
table as r50k_base, so the control reads that file for gpt2 (through the cache, hash checked).
"""

from __future__ import annotations

import os
import sys


def _no_local_constants() -> None:
    """Stop hypothesis drawing string literals from local modules (tokvec's special-token strings, for one).

    Recent hypothesis mixes constants found in non-installed modules into st.text(); "<|endoftext|>" then reaches
    test_hyp_roundtrip, whose enc.encode() rightly raises for a disallowed special token, tiktoken's too.
    """
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover
        return
    if hasattr(providers, "_get_local_constants"):
        providers._get_local_constants = lambda: providers._local_constants


def _use_tokvec() -> None:
    import tokvec.tiktoken

    sys.modules["tiktoken"] = tokvec.tiktoken
    shim = os.environ["TIKTOKEN_SUITE_SHIM"]  # a folder whose tiktoken.py makes `import tiktoken` give tokvec's
    os.environ["PYTHONPATH"] = os.pathsep.join([shim, os.environ.get("PYTHONPATH", "")])


def _use_tiktoken() -> None:
    import tiktoken.load
    import tiktoken_ext.openai_public as public

    r50k = "https://openaipublic.blob.core.windows.net/encodings/r50k_base.tiktoken"
    r50k_hash = "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930"

    def gpt2_ranks(**_: object) -> dict[bytes, int]:
        return tiktoken.load.load_tiktoken_bpe(r50k, expected_hash=r50k_hash)

    public.data_gym_to_mergeable_bpe_ranks = gpt2_ranks


_no_local_constants()
if os.environ.get("TIKTOKEN_SUITE_TARGET") == "tokvec":
    _use_tokvec()
else:
    _use_tiktoken()
