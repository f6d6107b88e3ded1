"""Fused fast paths: a whole batch through one numba kernel when the pipeline's components allow it.

Beside the component-by-component path (:mod:`tokvec.tokens.engines.components`), each fast path fuses
normalizer, pre-tokenizer and model of one family into one kernel pass over the batch's code points, and
must equal the component path field for field (the tests compare the two). Every path has the same
small interface, :class:`~tokvec.tokens.fused.protocol.FastPath`:

- ``bert.py``: BertNormalizer + BertPreTokenizer + WordPiece;
- ``unigram.py``: T5-style Precompiled + [WhitespaceSplit] + Metaspace + Unigram;
- ``sentencepiece.py``: a SentencePiece ``.model``'s normalizer + BPE or Unigram;
- ``run.py``: choosing the path (:func:`choose`), cutting added tokens out, the flat batch
  (:class:`FlatEncodings`), threads, and laying the post-processor's template over the result.
"""

from .protocol import FastPath as FastPath
from .protocol import SegmentTokens as SegmentTokens
from .run import FlatEncodings as FlatEncodings
from .run import Template as Template
from .run import add_specials as add_specials
from .run import batch_items as batch_items
from .run import choose as choose
from .run import encode_flat as encode_flat
from .run import encode_flat_threads as encode_flat_threads
from .run import freeze as freeze
from .run import split_encodings as split_encodings
from .run import template as template
