"""The two engines that run an encoder on a padded batch: onnxruntime (the default) and numpy.

Both take ``input_ids`` int64 [B, S], ``position_ids`` int64 [B, S] and ``mask`` int32 [B, S] (1 = token) and
return the last hidden state float32 [B, S, hidden]. ``OnnxEngine`` runs the graph of :mod:`.onnx_graph`
(float32, or int8 weights); ``NumpyEngine`` needs no extra package: numpy's matmuls and two numba kernels.
Which one ``load_encoder`` picks, and why, is said in the README ("Transformer embeddings").

>>> ENGINES
('onnx', 'numpy')
"""

from __future__ import annotations

import importlib.util
import math
import threading
from collections.abc import Callable

import numpy as np

from ..errors import TokvecError
from ..kernels.transformer import add_layer_norm, bias_gelu
from .onnx_graph import INT8_PARTS, Graph, build_graph
from .spec import TransformerSpec
from .weights import EncoderWeights

ENGINES = ("onnx", "numpy")
#: the longest equal-length inputs that :meth:`OnnxEngine.run_unpadded` takes (its attention holds S x S x hidden
#: values per input)
UNPADDED_MAX = 8
#: :class:`OnnxEngine` takes batches of at most this many padded tokens (count x longest) where ``batch_size``
#: would give more (see its performance notes)
BATCH_TOKENS = 512
#: a float32 batch without padding whose inputs have at least this many tokens runs on the full graph
FULL_FROM = 64


def onnx_available() -> bool:
    """Return whether onnxruntime and onnx are installed (``pip install 'tokvec[embed]'``)."""
    return importlib.util.find_spec("onnxruntime") is not None and importlib.util.find_spec("onnx") is not None


class OnnxEngine:
    """Run the encoder in one onnxruntime session of one thread; threads run batches side by side.

    Performance notes: a session per thread count held a copy of the weights each (peak 1.3 GB against
    sentence-transformers' 0.9); one single-threaded session, called from several Python threads at once
    (``run`` releases the GIL and is thread-safe), keeps one copy and splits the work by batch, which scales
    better on short batches than onnxruntime's own intra-op threads.

    ``source``: a function that reads the weights again; with it (float32), :meth:`run_unpadded` runs
    equal-length inputs on a second graph without a mask (``build_graph(padded=False)``), built on first use
    and kept (a second copy of the weights). onnxruntime reads the graphs' weight arrays where numpy holds them
    (:class:`~tokvec.embed.onnx_graph.Graph`); each session keeps its arrays alive. Memory (load, embed, one
    distill of MiniLM): 441 MiB after loading against 437 when the weights went through the protobuf, 732
    against 683 after the distill, peak 967 against 1,108 MiB; loading 1.73 against 2.71 s.

    Batches of at most :data:`BATCH_TOKENS` padded tokens (``batch_tokens``; the caller's ``batch_size``
    still bounds the count): one thread, all-MiniLM-L6-v2 on ELTeC paragraphs (2026-12-04, the 2-core Xeon),
    the packed graph ran 256-token inputs at 17.2 texts/s in batches of 32, 18.7 of 4 and 22.7 of 2; 128
    tokens at 37.4 (32), 45.4 (4) and 45.6 (2); 64 tokens at 83.8 (32), 103.8 (8) and 101.9 (4): a batch's
    activations (512 x 1,536 floats in the feed-forward layer: 3 MB) then stay in the core's caches.
    sentence-transformers on the same 256-token paragraphs: 19.8 texts/s in batches of 32, 23.6 of 4.

    A float32 batch without padding, of inputs of at least :data:`FULL_FROM` tokens (texts cut at the
    model's limit, equal lengths), runs on a third graph (``build_graph(full=True)``, built on first use,
    another copy of the prepacked weights): no gather into [B, S] and no mask (onnxruntime's
    ``MultiHeadAttention`` took 244 ms of a 32 x 256 batch without one, 408 ms with it). 256 tokens in
    batches of 2: 25.1 against 22.7 texts/s on the packed graph; 128 tokens in 4: 50.3 against 45.4; 64 in
    8: 112.7 against 103.8.
    """

    #: the engine runs batches from several threads at once
    parallel_batches = True
    #: the most padded tokens (count x longest) of one batch; ``TransformerEncoder`` cuts its batches by it
    batch_tokens = BATCH_TOKENS

    def __init__(
        self,
        spec: TransformerSpec,
        weights: EncoderWeights,
        *,
        precision: str = "float32",
        int8_parts: frozenset[str] = INT8_PARTS,
        smooth_int8: bool = True,
        source: Callable[[], EncoderWeights] | None = None,
    ) -> None:

        self.spec = spec
        self.precision = precision
        self.vocab_rows = weights.word.shape[0]
        self._source = source if precision == "float32" else None
        self._unpadded: object | None = None
        self._unpadded_lock = threading.Lock()
        self._full: object | None = None
        self._full_lock = threading.Lock()
        options = self._options()
        smooth = smooth_scales(spec, weights) if precision == "int8" and smooth_int8 else None
        self._packed = precision == "float32"  # see the performance notes of onnx_graph
        model = build_graph(spec, weights, precision=precision, int8_parts=int8_parts, smooth=smooth,
                            packed=self._packed)  # fmt: skip
        self._session = self._new_session(model, options)

    @staticmethod
    def _options() -> object:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        return options

    @staticmethod
    def _new_session(graph: Graph, options: object) -> object:
        import onnxruntime as ort

        values = [ort.OrtValue.ortvalue_from_numpy(a) for a in graph.weights.values()]
        options.add_external_initializers(list(graph.weights), values)  # type: ignore[attr-defined]
        # subtle: onnxruntime would fuse Add + LayerNormalization back into SkipLayerNormalization, 2.5x slower here
        session = ort.InferenceSession(
            graph.model, options, providers=["CPUExecutionProvider"], disabled_optimizers=["SkipLayerNormFusion"]
        )
        session._tokvec_weights = values  # type: ignore[attr-defined]  # subtle: onnxruntime reads these buffers
        return session

    @property
    def unpadded(self) -> bool:
        """Whether :meth:`run_unpadded` is available (float32, and the engine can read its weights again)."""
        return self._source is not None

    def run(
        self, input_ids: np.ndarray, position_ids: np.ndarray, mask: np.ndarray, *, num_threads: int = 1
    ) -> np.ndarray:
        """Return the last hidden state float32 [B, S, hidden] (at padding positions: any values)."""
        if self._packed and self._source is not None and mask.shape[1] >= FULL_FROM and mask.all():
            return self._run_full(input_ids, position_ids)
        if self._packed:
            real = mask.reshape(-1) > 0
            gather = np.cumsum(real, dtype=np.int64) - 1
            gather[~real] = 0  # padding reads token 0, which the mask keeps out of every softmax
            feed = {"input_ids": input_ids.reshape(-1)[real], "position_ids": position_ids.reshape(-1)[real],
                    "gather_index": gather.reshape(mask.shape), "scatter_index": np.flatnonzero(real),
                    "mask": mask}  # fmt: skip
            return self._session.run(["hidden"], feed)[0]  # type: ignore[attr-defined]
        feed = {"input_ids": input_ids, "position_ids": position_ids, "mask": mask}
        return self._session.run(["hidden"], feed)[0]  # type: ignore[attr-defined]

    def _run_full(self, input_ids: np.ndarray, position_ids: np.ndarray) -> np.ndarray:
        """The last hidden state float32 [B, S, hidden] of a batch without padding, on the full graph."""
        with self._full_lock:
            if self._full is None:
                model = build_graph(self.spec, self._source(), full=True)  # type: ignore[misc]
                self._full = self._new_session(model, self._options())
        b, n = input_ids.shape
        feed = {"input_ids": input_ids.reshape(-1), "position_ids": position_ids.reshape(-1),
                "batch_shape": np.array([b, n, self.spec.hidden], np.int64)}  # fmt: skip
        return self._full.run(["hidden"], feed)[0]  # type: ignore[attr-defined]

    def run_unpadded(self, input_ids: np.ndarray, position_ids: np.ndarray, *, mean: bool = False) -> np.ndarray:
        """Return the last hidden state float32 [B, S, hidden] of inputs that all have S real tokens, no padding.

        ``mean``: their mean over the S positions instead, float32 [B, hidden]. S is at most :data:`UNPADDED_MAX`.
        """
        if self._source is None:
            raise TokvecError("run_unpadded needs a float32 engine built with source= (use run with a mask)")
        if not 0 < input_ids.shape[1] <= UNPADDED_MAX:
            raise TokvecError(f"run_unpadded takes 1 to {UNPADDED_MAX} tokens per input, not {input_ids.shape[1]}")
        with self._unpadded_lock:
            if self._unpadded is None:
                model = build_graph(self.spec, self._source(), padded=False)
                self._unpadded = self._new_session(model, self._options())
        name = "mean" if mean else "hidden"
        return self._unpadded.run([name], {"input_ids": input_ids, "position_ids": position_ids})[0]  # type: ignore[attr-defined]


class NumpyEngine:
    """Run the encoder with numpy's matmuls and numba's layer norm and GELU (float32 only)."""

    #: one batch at a time; BLAS uses the cores inside each matmul
    parallel_batches = False

    def __init__(self, spec: TransformerSpec, weights: EncoderWeights, *, precision: str = "float32") -> None:
        if precision != "float32":
            raise TokvecError(f"the numpy engine runs float32 only, not {precision!r}: use engine='onnx'")
        self.spec = spec
        self.precision = precision
        self.vocab_rows = weights.word.shape[0]
        self.weights = weights
        self._pos_type = np.ascontiguousarray(weights.position + weights.token_type[None, :])

    def run(
        self,
        input_ids: np.ndarray,
        position_ids: np.ndarray,
        mask: np.ndarray,
        *,
        num_threads: int = 1,
        record: list[dict[str, np.ndarray]] | None = None,
    ) -> np.ndarray:
        """Return the last hidden state float32 [B, S, hidden] (``num_threads`` is BLAS's business here).

        ``record``: a list that gets, per layer, the largest absolute value of each input channel of the
        layer's four matmuls (keys qkv, out, ffn_in, ffn_out), over the real tokens.
        """
        s, w = self.spec, self.weights
        b, n = input_ids.shape
        h, heads, d = s.hidden, s.heads, s.head_dim
        x = np.ascontiguousarray(w.word[input_ids.reshape(-1)], dtype=np.float32)
        zero = np.zeros(h, np.float32)
        add_layer_norm(x, self._pos_type[position_ids.reshape(-1)], zero, *w.embedding_ln, s.eps)
        bias = np.where(mask > 0, 0.0, -np.inf).astype(np.float32)[:, None, None, :]
        scale = np.float32(1.0 / math.sqrt(d))
        real = mask.reshape(-1) > 0

        def amax(a: np.ndarray) -> np.ndarray:
            return np.abs(a[real]).max(axis=0)

        for lw in w.layers:
            seen = {"qkv": amax(x)} if record is not None else {}
            qkv = (x @ lw.qkv + lw.qkv_bias).reshape(b, n, 3, heads, d)
            q = qkv[:, :, 0].transpose(0, 2, 1, 3)
            k = qkv[:, :, 1].transpose(0, 2, 3, 1)
            v = qkv[:, :, 2].transpose(0, 2, 1, 3)
            scores = np.matmul(q, k) * scale + bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            ctx = np.matmul(scores, v).transpose(0, 2, 1, 3).reshape(b * n, h)
            if record is not None:
                seen["out"] = amax(ctx)
            a = ctx @ lw.out
            x = add_layer_norm(a, x, lw.out_bias, *lw.ln1, s.eps)
            if record is not None:
                seen["ffn_in"] = amax(x)
            f = x @ lw.ffn_in
            if s.activation == "gelu":
                bias_gelu(f, lw.ffn_in_bias)
            elif s.activation == "relu":
                np.maximum(f + lw.ffn_in_bias, 0.0, out=f)
            else:  # the tanh approximation
                f += lw.ffn_in_bias
                f[:] = 0.5 * f * (1.0 + np.tanh(np.float32(0.7978845608028654) * (f + np.float32(0.044715) * f**3)))
            if record is not None:
                seen["ffn_out"] = amax(f)
                record.append(seen)
            y = f @ lw.ffn_out
            x = add_layer_norm(y, x, lw.ffn_out_bias, *lw.ln2, s.eps)
        return x.reshape(b, n, h)


def smooth_scales(
    spec: TransformerSpec, weights: EncoderWeights, *, alpha: float = 0.5, seed: int = 0
) -> list[dict[str, np.ndarray]]:
    """Return per layer and matmul the input channel scales that move activation outliers into the weights.

    SmoothQuant's rule, ``s_j = max|x_j| ** alpha / max|w_j| ** (1 - alpha)`` for the input ``x`` of each
    matmul ``x @ w``: ``(x / s) @ (s * w)`` is the same product in exact arithmetic, with activations that one
    int8 scale per tensor serves far better (BERT's layer-norm outputs and GELU outputs have a few channels
    of much larger magnitude). The maxima come from one float32 pass over seeded random word pieces (the
    outlier channels are the model's, whatever the text); only a rescaling depends on them.
    """
    rng = np.random.default_rng(seed)
    vocab = weights.word.shape[0]
    ids = rng.integers(min(1000, vocab - 1), vocab, size=(16, 64)).astype(np.int64)
    positions = np.broadcast_to(np.arange(64, dtype=np.int64), ids.shape)
    if spec.architecture == "roberta":
        positions = positions + spec.pad_id + 1
    record: list[dict[str, np.ndarray]] = []
    NumpyEngine(spec, weights).run(ids, np.ascontiguousarray(positions), np.ones(ids.shape, np.int32), record=record)
    out = []
    for lw, seen in zip(weights.layers, record, strict=True):
        matrices = {"qkv": lw.qkv, "out": lw.out, "ffn_in": lw.ffn_in, "ffn_out": lw.ffn_out}
        layer = {}
        for part, w in matrices.items():
            wmax = np.abs(w).max(axis=1)
            scale = np.power(np.maximum(seen[part], 1e-5), alpha) / np.power(np.maximum(wmax, 1e-5), 1 - alpha)
            layer[part] = np.clip(scale, 1e-2, 1e2).astype(np.float32)
        out.append(layer)
    return out


def make_engine(
    name: str,
    spec: TransformerSpec,
    weights: EncoderWeights,
    precision: str,
    *,
    source: Callable[[], EncoderWeights] | None = None,
) -> OnnxEngine | NumpyEngine:
    """Build engine ``name`` (``onnx`` or ``numpy``) for ``precision`` (``source``: see :class:`OnnxEngine`)."""
    if name == "onnx":
        if not onnx_available():
            raise TokvecError(
                "engine 'onnx' needs onnxruntime and onnx: pip install 'tokvec[embed]' (or engine='numpy')"
            )
        return OnnxEngine(spec, weights, precision=precision, source=source)
    if name == "numpy":
        return NumpyEngine(spec, weights, precision=precision)
    raise TokvecError(f"engine {name!r}: use one of {', '.join(ENGINES)}")
