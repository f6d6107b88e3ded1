"""Post-processors, truncation and padding: the stages after the model.

A post-processor adds the special tokens of a model (``[CLS] ... [SEP]``) and sets type ids; each maps
the encodings of one text or a pair to new encodings (``process_encodings(encs, add_special_tokens,
table)``, the interface every processor has), and :func:`post_process` merges them into one, as Hugging
Face does (overflowing windows included).

- ``base.py``: what they share; ``template.py``: TemplateProcessing; ``bert.py``: Bert and Roberta;
  ``byte_level.py``: ByteLevel; ``registry.py``: SequenceProcessing, ``PROCESSORS``, ``processor_from_json``,
  ``post_process``;
- ``padding.py``: :class:`Padding` and :class:`Truncation` (the options) and what they do to encodings.

>>> p = BertProcessing(sep=("[SEP]", 102), cls=("[CLS]", 101))
>>> p.added_tokens(is_pair=True), p.to_json()["type"]
(3, 'BertProcessing')
"""

from .base import trim_byte_level_offsets as trim_byte_level_offsets
from .bert import BertProcessing as BertProcessing
from .bert import RobertaProcessing as RobertaProcessing
from .byte_level import ByteLevelProcessing as ByteLevelProcessing
from .padding import Padding as Padding
from .padding import Truncation as Truncation
from .registry import PROCESSORS as PROCESSORS
from .registry import SequenceProcessing as SequenceProcessing
from .registry import post_process as post_process
from .registry import processor_from_json as processor_from_json
from .registry import trims_offsets as trims_offsets
from .template import TemplateProcessing as TemplateProcessing
