"""One unaligned little-endian 8-byte load from a uint8 array, as a single machine instruction.

``pack8`` in :mod:`tokvec.kernels.tables` packs up to 8 bytes of a piece into an int64 (its key).
Written as eight byte loads, shifts and ors, LLVM does not merge them (numba's index arithmetic is
in the way): some 20 instructions per piece. :func:`load8` asks LLVM for one ``load i64, align 1``
(x86 reads unaligned words at full speed). The caller guarantees ``i + 8 <= len(b)``. With
``NUMBA_DISABLE_JIT=1`` it is a Python function with the same result.

>>> import numpy as np
>>> from numba import njit
>>> @njit
... def first_word(b):
...     return load8(b, 1)
>>> hex(first_word(np.arange(1, 11, dtype=np.uint8)))
'0x908070605040302'
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import config, types


def _load8_py(b: np.ndarray, i: int) -> int:
    """The 8 bytes ``b[i:i+8]`` as a little-endian int64 (the pure-Python twin)."""
    return int.from_bytes(bytes(b[i : i + 8]), "little", signed=True)


if config.DISABLE_JIT:
    load8: Any = _load8_py
else:
    from llvmlite import ir
    from numba.extending import intrinsic

    @intrinsic
    def load8(typingctx: Any, b: Any, i: Any) -> Any:  # pragma: no cover - compiled
        """``b[i:i+8]`` as a little-endian int64, one unaligned load (b: uint8[n], i + 8 <= n)."""
        if not (isinstance(b, types.Array) and b.ndim == 1 and b.dtype == types.uint8 and isinstance(i, types.Integer)):
            return None
        sig = types.int64(b, i)

        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            ary = context.make_array(signature.args[0])(context, builder, args[0])
            index = context.cast(builder, args[1], signature.args[1], types.intp)
            ptr = builder.gep(ary.data, [index])
            word = builder.bitcast(ptr, ir.IntType(64).as_pointer())
            return builder.load(word, align=1)

        return sig, codegen
