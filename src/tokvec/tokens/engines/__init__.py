"""The two engines behind :class:`~tokvec.tokens.tokenizer.Tokenizer`, one interface (:class:`Engine`).

- ``byte_level.py``: the tiktoken engine (tiktoken rank files, Llama-3, GPT-2 ``vocab.json``): a split pattern
  scanned by a numba kernel, then byte-level BPE; its tokens tile the UTF-8 of the text;
- ``pipeline.py``: Hugging Face's pipeline (``tokenizer.json``, ``vocab.txt``, SentencePiece ``.model``):
  a fast path (:mod:`tokvec.tokens.fused`) or the component path (``components.py``), then truncation,
  the post-processor and padding.
"""

from .protocol import Engine as Engine
