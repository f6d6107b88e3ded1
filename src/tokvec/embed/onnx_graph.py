"""Build the ONNX graph of a BERT-family encoder from tokvec's weights, for onnxruntime to run.

tokvec writes the graph itself (no exporter, no torch): embeddings and their layer norm, then per layer
onnxruntime's fused CPU operators (``Attention`` or ``QAttention``, ``BiasGelu``) and ``LayerNormalization``,
and the layer's last hidden state as the output; pooling runs in numpy after it. ``precision="int8"``
quantizes every weight matrix per output column (symmetric int8) and each activation per tensor at run time
(``DynamicQuantizeLinear``), which the machine's VNNI instructions multiply; each matmul's input channels are
first rescaled (SmoothQuant) so that a few outlier channels do not take the whole int8 range.

Inputs: ``input_ids`` int64 [B, S], ``position_ids`` int64 [B, S], ``mask`` int32 [B, S] (1 = token).
Output: ``hidden`` float32 [B, S, hidden].

``padded=False`` builds the graph for short inputs that all have the same length (no padding, so no
``mask`` input): attention is written out in plain operators, for every head at once (``q_i * k_j`` summed
per head by a 0/1 matrix, softmax over the keys, the weights spread back over the head's channels and
multiplied with ``v_j``), and a second output ``mean`` float32 [B, hidden] averages the positions (what
distillation pools). Its intermediates hold S x S x hidden values per input, so it is for S of a few tokens.

``packed=True`` (what the float32 engine runs) takes only the real tokens of a padded batch: ``input_ids`` and
``position_ids`` int64 [T], ``gather_index`` int64 [B, S] (the token at each position; padding repeats token
0, which the mask keeps out of every softmax), ``scatter_index`` int64 [T] (each token's place in B x S) and
``mask``. Every matmul runs on the T tokens; only attention (``MultiHeadAttention`` on q, k and v gathered into
[B, S]) sees the padding. ``hidden`` is [B, S, hidden] as in the padded graph (padding positions: any values).

Performance notes (this machine, one thread): the fused ``SkipLayerNormalization`` took 20% of the int8 graph's
time on 256-token inputs; ``Add`` + ``LayerNormalization`` does the same in 12 ms where it takes 30 ms
(16,384 x 384). Matmuls (640 x 384 x 1536): onnxruntime's MLAS runs float32 at
about 190-210 GFLOP/s and int8 at about 660 GOP/s, torch 2.13 float32 at 45-94 and numpy's OpenBLAS at
39-82 with the machine's OPENBLAS_CORETYPE=Haswell (105-169 without it); so onnxruntime is the default engine.
On 3-token inputs ([CLS] token [SEP], distillation) the fused ``Attention`` operator took 36% of the time
(its 4 x 512 x 12 tiny per-head products), the plain operators of ``padded=False`` about 3%; with q, k and v
as three matmuls (no Split, no Transpose) and the 1/sqrt(head_dim) scale folded into q's weights, a
512-input batch takes 185 ms of CPU where the padded graph takes 215-225 (one thread, a loaded machine).
A server's call of ~134 texts of STS-B, sorted and cut into batches, is 87% real tokens (a call of 4,096:
98%), and onnxruntime's ``Attention`` took 31% of the padded graph's time at 22 x 22 tokens; packed, such
calls ran 763 -> 809 texts/s (best of four rounds each, same process), the same 12,507 texts in one call
896 -> 868 (noise). ``MultiHeadAttention`` after three matmuls times as ``Attention`` (3.18 against 3.29 ms at 22 x 22).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import TokvecError
from .spec import TransformerSpec
from .weights import EncoderWeights

PRECISIONS = ("float32", "int8")


def _require_onnx() -> Any:
    try:
        import onnx
    except ImportError:
        raise TokvecError(
            "the onnxruntime engine needs the 'onnx' and 'onnxruntime' packages: pip install 'tokvec[embed]'"
        ) from None
    return onnx


def quantize_columns(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Quantize ``w`` (float32 [in, out]) per output column to int8: ``w ~= q * scale``.

    >>> q, s = quantize_columns(np.array([[1.0, -0.5], [-2.0, 0.25]], np.float32))
    >>> q.tolist(), [round(float(v), 4) for v in s]
    ([[64, -127], [-127, 64]], [0.0157, 0.0039])
    """
    scale = np.abs(w).max(axis=0) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    return q, scale


#: the matmuls of a layer that ``precision="int8"`` quantizes. STS-B test Spearman of all-MiniLM-L6-v2 (float32
#: 82.03), activations quantized per tensor: all four 81.59, without ffn_out (the GELU output) 81.77; with
#: SmoothQuant's channel scales (alpha 0.5, :func:`tokvec.embed.engines.smooth_scales`) all four give 81.92
#: (alpha 0.7: 81.82, 0.3: 80.95), so all four are quantized, smoothed; with Add + LayerNormalization in place of
#: SkipLayerNormalization (other rounding) the score is 81.85.
INT8_PARTS = frozenset({"qkv", "out", "ffn_in", "ffn_out"})


@dataclass(frozen=True)
class Graph:
    """A serialized ONNX model whose large tensors stay numpy arrays, outside the bytes.

    ``model`` names each array of ``weights`` as external data; :meth:`tokvec.embed.engines.OnnxEngine` hands
    them to onnxruntime as they are (``add_external_initializers``), so they are never copied into the
    protobuf and serialized again. Performance notes: that took 0.44 s of the 0.63 s that building the
    unpadded MiniLM session took (the first distill of a process), and as long again at ``load_encoder``.
    """

    model: bytes
    weights: dict[str, np.ndarray]


#: tensors of at least this many bytes go outside the protobuf
EXTERNAL_BYTES = 1024


def build_graph(
    spec: TransformerSpec,
    weights: EncoderWeights,
    *,
    precision: str = "float32",
    int8_parts: frozenset[str] = INT8_PARTS,
    smooth: list[dict[str, np.ndarray]] | None = None,
    padded: bool = True,
    packed: bool = False,
    full: bool = False,
) -> Graph:
    """Return the serialized ONNX model of the encoder (``precision``: float32 or int8).

    ``padded=False``: the graph for equal-length inputs without a mask (float32 only; see the module docstring).
    ``packed=True``: the padded batch's real tokens only, in one row each (float32 only; see the module docstring).
    ``full=True``: the packed layout of a batch without padding (float32 only; see the module docstring).

    ``smooth``: per layer and int8 matmul (qkv, out, ffn_in, ffn_out), input channel scales ``s``: the matmul
    is computed as ``(x / s) @ (s * w)`` (see :func:`tokvec.embed.engines.smooth_scales`).
    """
    if precision not in PRECISIONS:
        raise TokvecError(f"engine precision {precision!r}: use one of {', '.join(PRECISIONS)}")
    parts = int8_parts if precision == "int8" else frozenset()
    if (packed or not padded) and precision != "float32":
        raise TokvecError("the unpadded and packed graphs are float32 only")
    if packed and not padded:
        raise TokvecError("packed=True is a layout of the padded graph: padded=False has no padding to take out")
    if full and (packed or not padded or precision != "float32"):
        raise TokvecError("full=True is its own float32 layout: not with packed=True or padded=False")
    onnx = _require_onnx()
    from onnx import TensorProto, helper, numpy_helper

    nodes: list[Any] = []
    inits: list[Any] = []
    external: dict[str, np.ndarray] = {}
    counter = [0]

    def const(array: np.ndarray, hint: str) -> str:
        counter[0] += 1
        name = f"{hint}_{counter[0]}"
        array = np.ascontiguousarray(array)
        if array.nbytes < EXTERNAL_BYTES:
            inits.append(numpy_helper.from_array(array, name))
            return name
        tensor = TensorProto(name=name, data_type=helper.np_dtype_to_tensor_dtype(array.dtype), dims=array.shape)
        tensor.data_location = TensorProto.EXTERNAL
        for key, value in (("location", "tokvec-in-memory"), ("offset", "0"), ("length", str(array.nbytes))):
            tensor.external_data.add(key=key, value=value)
        inits.append(tensor)
        external[name] = array
        return name

    def node(op: str, inputs: list[str], n_out: int = 1, domain: str = "", **attrs: Any) -> list[str]:
        counter[0] += 1
        outs = [f"{op}_{counter[0]}_{k}" for k in range(n_out)]
        nodes.append(helper.make_node(op, inputs, outs, domain=domain, **attrs))
        return outs

    ms = "com.microsoft"
    eps = float(spec.eps)

    def smoothed(i: int, part: str, x: str, w: np.ndarray) -> tuple[str, np.ndarray]:
        """(x / s, s * w) for the int8 matmul ``part`` of layer ``i`` when scales are given."""
        if smooth is None or part not in parts:
            return x, w
        s = smooth[i][part]
        return node("Mul", [x, const((1.0 / s).astype(np.float32), f"l{i}_{part}_smooth")])[0], (w * s[:, None]).astype(
            np.float32
        )

    def add_norm(y: str, skip: str, ln: tuple[np.ndarray, np.ndarray], hint: str) -> str:
        """layer_norm(y + skip): Add then LayerNormalization (2.5x faster here than SkipLayerNormalization)."""
        total = node("Add", [y, skip])[0]
        return node("LayerNormalization", [total, const(ln[0], hint + "_g"), const(ln[1], hint + "_b")], axis=-1,
                    epsilon=eps)[0]  # fmt: skip

    def matmul(x: str, w: np.ndarray, bias: np.ndarray | None, hint: str, part: str) -> str:
        """x @ w (+ bias when given); int8: dynamically quantized x times per-column int8 w."""
        if part in parts:
            q, scale = quantize_columns(w)
            ins = [
                x,
                const(q, hint + "_q"),
                const(scale, hint + "_s"),
                const(np.zeros(w.shape[1], np.int8), hint + "_z"),
            ]
            if bias is not None:
                ins.append(const(bias, hint + "_b"))
            return node("DynamicQuantizeMatMul", ins, domain=ms)[0]
        y = node("MatMul", [x, const(w, hint)])[0]
        return node("Add", [y, const(bias, hint + "_b")])[0] if bias is not None else y

    heads, d = spec.heads, spec.head_dim
    width = heads * d

    def plain_attention(x: str, w: np.ndarray, bias: np.ndarray, i: int) -> str:
        """Attention over all positions of equal-length inputs (no mask), in plain operators; x [B, S, width]."""
        scale = np.float32(1.0 / np.sqrt(d))
        q = matmul(x, w[:, :width] * scale, bias[:width] * scale, f"l{i}_q", "q")  # scale folded in
        k = matmul(x, w[:, width : 2 * width], bias[width : 2 * width], f"l{i}_k", "k")
        v = matmul(x, w[:, 2 * width :], bias[2 * width :], f"l{i}_v", "v")
        q = node("Unsqueeze", [q, const(np.array([2], np.int64), "axis")])[0]  # [B, S, 1, width]
        k = node("Unsqueeze", [k, const(np.array([1], np.int64), "axis")])[0]  # [B, 1, S, width]
        v = node("Unsqueeze", [v, const(np.array([1], np.int64), "axis")])[0]
        per_head = np.kron(np.eye(heads, dtype=np.float32), np.ones((d, 1), np.float32))  # [width, heads], 0/1
        scores = node("MatMul", [node("Mul", [q, k])[0], const(per_head, "per_head")])[0]  # [B, S, S, heads]
        p = node("Softmax", [scores], axis=2)[0]  # over the keys
        spread = node("MatMul", [p, const(np.ascontiguousarray(per_head.T), "spread")])[0]  # [B, S, S, width]
        return node("ReduceSum", [node("Mul", [spread, v])[0], const(np.array([2], np.int64), "axis")],
                    keepdims=0)[0]  # fmt: skip

    def packed_attention(x: str, w: np.ndarray, bias: np.ndarray, i: int) -> str:
        """Attention of packed tokens x [T, width]: q, k and v on the tokens, then laid out [B, S] for the heads."""
        qkv = matmul(x, w, bias, f"l{i}_qkv", "qkv")  # [T, 3 width]
        grid = node("Gather", [qkv, "gather_index"])[0]  # [B, S, 3 width]; padding positions repeat token 0
        q, k, v = node("Split", [grid, const(np.array([width] * 3, np.int64), "split")], 3, axis=2)
        ctx = node("MultiHeadAttention", [q, k, v, "", "mask"], domain=ms, num_heads=heads)[0]
        flat = node("Reshape", [ctx, const(np.array([-1, width], np.int64), "rows")])[0]
        return node("Gather", [flat, "scatter_index"])[0]  # [T, width], the real positions again

    def full_attention(x: str, w: np.ndarray, bias: np.ndarray, i: int) -> str:
        """Attention of x [T, width], B inputs of S real tokens each: q, k, v as [B, S, width] views, no mask."""
        qkv = [matmul(x, w[:, j * width : (j + 1) * width], bias[j * width : (j + 1) * width], f"l{i}_{n}", n)
               for j, n in enumerate("qkv")]  # fmt: skip
        q, k, v = (node("Reshape", [t, "batch_shape"])[0] for t in qkv)
        ctx = node("MultiHeadAttention", [q, k, v], domain=ms, num_heads=heads)[0]
        return node("Reshape", [ctx, const(np.array([-1, width], np.int64), "rows")])[0]

    word = node("Gather", [const(weights.word, "word"), "input_ids"])[0]
    pos_type = weights.position + weights.token_type[None, :]
    pos = node("Gather", [const(pos_type, "position"), "position_ids"])[0]
    x = node("Add", [word, pos])[0]
    g, b = weights.embedding_ln
    x = node("LayerNormalization", [x, const(g, "emb_ln_g"), const(b, "emb_ln_b")], axis=-1, epsilon=eps)[0]
    for i, lw in enumerate(weights.layers):
        if "qkv" in parts:
            xs_in, wqkv = smoothed(i, "qkv", x, lw.qkv)
            q, scale = quantize_columns(wqkv)
            xq, xs, xz = node("DynamicQuantizeLinear", [xs_in], 3)
            ctx = node("QAttention", [xq, const(q, f"l{i}_qkv_q"), const(lw.qkv_bias, f"l{i}_qkv_b"), xs,
                                      const(scale, f"l{i}_qkv_s"), "mask", xz, const(np.zeros(q.shape[1], np.int8),
                                      f"l{i}_qkv_z")], domain=ms, num_heads=spec.heads)[0]  # fmt: skip
        elif not padded:
            ctx = plain_attention(x, lw.qkv, lw.qkv_bias, i)
        elif packed:
            ctx = packed_attention(x, lw.qkv, lw.qkv_bias, i)
        elif full:
            ctx = full_attention(x, lw.qkv, lw.qkv_bias, i)
        else:
            ctx = node("Attention", [x, const(lw.qkv, f"l{i}_qkv"), const(lw.qkv_bias, f"l{i}_qkv_b"), "mask"],
                       domain=ms, num_heads=spec.heads)[0]  # fmt: skip
        attn = matmul(*smoothed(i, "out", ctx, lw.out), lw.out_bias, f"l{i}_out", "out")
        x = add_norm(attn, x, lw.ln1, f"l{i}_ln1")
        h = matmul(*smoothed(i, "ffn_in", x, lw.ffn_in), None, f"l{i}_ffn_in", "ffn_in")
        if spec.activation == "relu":
            h = node("Relu", [node("Add", [h, const(lw.ffn_in_bias, f"l{i}_ffn_in_b")])[0]])[0]
        elif spec.activation == "gelu":
            h = node("BiasGelu", [h, const(lw.ffn_in_bias, f"l{i}_ffn_in_b")], domain=ms)[0]
        else:  # the tanh approximation of gelu
            h = node("FastGelu", [h, const(lw.ffn_in_bias, f"l{i}_ffn_in_b")], domain=ms)[0]
        y = matmul(*smoothed(i, "ffn_out", h, lw.ffn_out), lw.ffn_out_bias, f"l{i}_ffn_out", "ffn_out")
        x = add_norm(y, x, lw.ln2, f"l{i}_ln2")
    if packed:  # the hidden states laid out [B, S] again (padding positions repeat token 0's)
        nodes.append(helper.make_node("Gather", [x, "gather_index"], ["hidden"]))
        tokens = ["tokens"]
    elif full:
        nodes.append(helper.make_node("Reshape", [x, "batch_shape"], ["hidden"]))
        tokens = ["tokens"]
    else:
        nodes.append(helper.make_node("Identity", [x], ["hidden"]))
        tokens = ["batch", "seq"]
    inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, tokens),
              helper.make_tensor_value_info("position_ids", TensorProto.INT64, tokens)]  # fmt: skip
    outputs = [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "seq", spec.hidden])]
    if packed:
        inputs += [helper.make_tensor_value_info("gather_index", TensorProto.INT64, ["batch", "seq"]),
                   helper.make_tensor_value_info("scatter_index", TensorProto.INT64, ["tokens"])]  # fmt: skip
    if full:
        inputs.append(helper.make_tensor_value_info("batch_shape", TensorProto.INT64, [3]))
    elif padded:
        inputs.append(helper.make_tensor_value_info("mask", TensorProto.INT32, ["batch", "seq"]))
    else:
        nodes.append(helper.make_node("ReduceMean", [x], ["mean"], axes=[1], keepdims=0))
        outputs.append(helper.make_tensor_value_info("mean", TensorProto.FLOAT, ["batch", spec.hidden]))
    graph = helper.make_graph(nodes, "tokvec_encoder", inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(ms, 1)],
                              producer_name="tokvec")  # fmt: skip
    model.ir_version = 8
    data = onnx._serialize(model) if hasattr(onnx, "_serialize") else model.SerializeToString()
    return Graph(data, external)
