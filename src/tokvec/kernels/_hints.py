"""CPU hints for kernels: a software prefetch of one cache line of a 2-D array, as an LLVM intrinsic.

Random-access kernels (GloVe's AdaGrad steps touch four random rows a record) wait on memory far
more than they compute; asking for the rows of a record a few records ahead hides most of that wait.
A prefetch changes no result. With ``NUMBA_DISABLE_JIT=1`` (the pure-Python run of the kernels)
:func:`prefetch` is a Python function that does nothing.

>>> import numpy as np
>>> from numba import njit
>>> @njit
... def second_row_sum(a):
...     prefetch(a, 1, 0)
...     return a[1].sum()
>>> float(second_row_sum(np.arange(6, dtype=np.float32).reshape(2, 3)))
12.0
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import config, types


def _prefetch_py(arr: np.ndarray, row: int, col: int) -> None:
    """Prefetch ``arr[row, col]``'s cache line (the pure-Python twin: nothing to do)."""
    return None


if config.DISABLE_JIT:
    prefetch: Any = _prefetch_py
else:
    from llvmlite import ir
    from numba.core import cgutils
    from numba.extending import intrinsic

    @intrinsic
    def prefetch(typingctx: Any, arr: Any, row: Any, col: Any) -> Any:  # pragma: no cover - compiled
        """Prefetch the cache line of ``arr[row, col]`` for writing (``llvm.prefetch``, high locality)."""
        if not (isinstance(arr, types.Array) and arr.ndim == 2):
            return None
        sig = types.void(arr, row, col)

        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            ary = context.make_array(signature.args[0])(context, builder, args[0])
            index = [context.cast(builder, v, t, types.intp) for v, t in zip(args[1:], signature.args[1:], strict=True)]
            ptr = cgutils.get_item_pointer(context, builder, signature.args[0], ary, index, wraparound=False)
            i8p, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
            fnty = ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32])
            fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.prefetch.p0i8")
            builder.call(fn, [builder.bitcast(ptr, i8p), i32(1), i32(3), i32(1)])
            return context.get_dummy_value()

        return sig, codegen
