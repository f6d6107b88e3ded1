"""Tokenizer models: the step that turns one pre-tokenized piece into token ids.

``MODELS`` maps the Hugging Face ``model.type`` to the class that reads it (``from_json``).
"""

from .bpe_merges import CharPairModel
from .unigram import UnigramModel
from .wordlevel import WordLevel
from .wordpiece import WordPiece

MODELS: dict[str, type] = {
    "BPE": CharPairModel,
    "Unigram": UnigramModel,
    "WordPiece": WordPiece,
    "WordLevel": WordLevel,
}
