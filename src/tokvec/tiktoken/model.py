"""Which encoding each OpenAI model uses: exact names first, then name prefixes (tiktoken 0.14's tables).

>>> encoding_name_for_model("gpt-4o-mini")
'o200k_base'
>>> encoding_name_for_model("gpt-oss-20b")
'o200k_harmony'
"""

from __future__ import annotations

from ..errors import UnknownNameError
from .core import Encoding
from .registry import get_encoding

_O200K, _CL100K, _P50K, _R50K = "o200k_base", "cl100k_base", "p50k_base", "r50k_base"

#: model name prefix -> encoding, tried in this order
MODEL_PREFIX_TO_ENCODING: dict[str, str] = {
    "o1-": _O200K, "o3-": _O200K, "o4-mini-": _O200K, "gpt-5": _O200K, "gpt-4.5-": _O200K, "gpt-4.1-": _O200K,
    "chatgpt-4o-": _O200K, "gpt-4o-": _O200K, "gpt-4-": _CL100K, "gpt-3.5-turbo-": _CL100K, "gpt-35-turbo-": _CL100K,
    "gpt-oss-": "o200k_harmony", "ft:gpt-4o": _O200K, "ft:gpt-4": _CL100K, "ft:gpt-3.5-turbo": _CL100K,
    "ft:davinci-002": _CL100K, "ft:babbage-002": _CL100K,
}  # fmt: skip

_R50K_MODELS = [
    "text-davinci-001", "text-curie-001", "text-babbage-001", "text-ada-001", "davinci", "curie", "babbage", "ada",
    "text-similarity-davinci-001", "text-similarity-curie-001", "text-similarity-babbage-001",
    "text-similarity-ada-001", "text-search-davinci-doc-001", "text-search-curie-doc-001",
    "text-search-babbage-doc-001", "text-search-ada-doc-001", "code-search-babbage-code-001",
    "code-search-ada-code-001",
]  # fmt: skip
_P50K_MODELS = ["text-davinci-003", "text-davinci-002", "code-davinci-002", "code-davinci-001", "code-cushman-002",
                "code-cushman-001", "davinci-codex", "cushman-codex"]  # fmt: skip
_CL100K_MODELS = ["gpt-4", "gpt-3.5-turbo", "gpt-3.5", "gpt-35-turbo", "davinci-002", "babbage-002",
                  "text-embedding-ada-002", "text-embedding-3-small", "text-embedding-3-large"]  # fmt: skip

#: exact model name -> encoding
MODEL_TO_ENCODING: dict[str, str] = {
    **dict.fromkeys(["o1", "o3", "o4-mini", "gpt-5", "gpt-4.1", "gpt-4o"], _O200K),
    **dict.fromkeys(_CL100K_MODELS, _CL100K),
    **dict.fromkeys(_P50K_MODELS, _P50K),
    **dict.fromkeys(_R50K_MODELS, _R50K),
    "text-davinci-edit-001": "p50k_edit",
    "code-davinci-edit-001": "p50k_edit",
    "gpt2": "gpt2",
    "gpt-2": "gpt2",
}


def encoding_name_for_model(model_name: str) -> str:
    """Return the name of the encoding ``model_name`` uses (raises KeyError for an unknown model)."""
    if model_name in MODEL_TO_ENCODING:
        return MODEL_TO_ENCODING[model_name]
    for prefix, name in MODEL_PREFIX_TO_ENCODING.items():
        if model_name.startswith(prefix):
            return name
    raise UnknownNameError(
        f"cannot map the model {model_name!r} to an encoding; name the encoding with"
        f" tokvec.tiktoken.get_encoding(...) (one of: {', '.join(dict.fromkeys(MODEL_TO_ENCODING.values()))})"
    )


def encoding_for_model(model_name: str) -> Encoding:
    """Return the encoding ``model_name`` uses (raises KeyError for an unknown model)."""
    return get_encoding(encoding_name_for_model(model_name))
