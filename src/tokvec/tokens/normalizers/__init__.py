"""Normalizers: rewrite the text before it is split, keeping each character's span in the original.

The first stage of the pipeline. Every normalizer maps a :class:`~tokvec.tokens.normalized.NormalizedText`
to a new one (:class:`~tokvec.tokens.normalizers.base.Normalizer` is the interface) and mirrors one
Hugging Face normalizer: same ``"type"`` in ``tokenizer.json``, same output, same alignment.

- ``base.py``: the interface, and lower-casing as ``tokenizers`` does it;
- ``simple.py``: NFD/NFKD/NFC/NFKC, Lowercase, Strip, StripAccents, Replace, Prepend;
- ``bert.py``: BertNormalizer; ``precompiled.py``: SentencePiece's charsmap (``Precompiled``);
- ``registry.py``: ``Sequence``, ``NORMALIZERS`` (type -> class) and ``from_json``;
- ``alignment.py``, ``unicode_forms.py``, ``hf_unicode.py``: the alignment rules and Unicode tables they share.

>>> from tokvec.tokens.normalizers import from_json
>>> from_json({"type": "Lowercase"}).normalize_str("HeLLo")
'hello'
"""

from .base import Normalizer as Normalizer
from .bert import BertNormalizer as BertNormalizer
from .precompiled import Precompiled as Precompiled
from .registry import NORMALIZERS as NORMALIZERS
from .registry import Sequence as Sequence
from .registry import from_json as from_json
from .simple import NFC as NFC
from .simple import NFD as NFD
from .simple import NFKC as NFKC
from .simple import NFKD as NFKD
from .simple import Lowercase as Lowercase
from .simple import Prepend as Prepend
from .simple import Replace as Replace
from .simple import Strip as Strip
from .simple import StripAccents as StripAccents
