"""Decoders: turn a list of token strings back into text, as Hugging Face's decoders do (the last stage).

Each decoder maps the list of tokens to a new list (``decode_chain``, the interface of
:class:`~tokvec.tokens.decoders.base.Decoder`); the text is the join of the last list.
``DECODERS`` maps the ``tokenizer.json`` type to the class.

- ``byte_level.py``: ByteLevel, ByteFallback; ``wordpiece.py``: WordPiece, BPEDecoder, CTC;
  ``metaspace.py``: Metaspace; ``text.py``: Fuse, Strip, Replace; ``registry.py``: Sequence, ``DECODERS``,
  ``decoder_from_json``.

>>> WordPiece().decode(["un", "##believ", "##able", "!"])
'unbelievable!'
>>> Sequence((Replace("▁", " "), ByteFallback(), Fuse(), Strip(" ", 1, 0))).decode(["▁Hi", "<0x21>"])
'Hi!'
"""

from .base import Decoder as Decoder
from .base import cleanup as cleanup
from .byte_level import ByteFallback as ByteFallback
from .byte_level import ByteLevel as ByteLevel
from .metaspace import Metaspace as Metaspace
from .registry import DECODERS as DECODERS
from .registry import Sequence as Sequence
from .registry import decoder_from_json as decoder_from_json
from .text import Fuse as Fuse
from .text import Replace as Replace
from .text import Strip as Strip
from .wordpiece import CTC as CTC
from .wordpiece import BPEDecoder as BPEDecoder
from .wordpiece import WordPiece as WordPiece
