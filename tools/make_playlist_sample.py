"""Make the playlist sample bundled in src/tokvec/data/playlists from the Cornell yes_small data.

Keeps the yes_small playlists of at least 2 songs whose songs are mostly tagged 'rock' on Last.fm,
draws 5,000 of them (seed 1), renumbers the songs they use and writes train.txt (same format:
two header lines, then one playlist a line) and song_hash.txt. Run from the repository root:

    python tools/make_playlist_sample.py ../shared/data/playlists/yes_small src/tokvec/data/playlists
"""

from __future__ import annotations

import os
import sys

import numpy as np

ROCK = 0  # tag_hash.txt: "0, rock"
PLAYLISTS = 5_000


def main(source: str, target: str) -> None:
    lines = _read(os.path.join(source, "train.txt")).split("\n")
    external = lines[0].split()
    playlists = [[int(w) for w in line.split()] for line in lines[2:] if line.strip()]
    tags = _read(os.path.join(source, "tags.txt")).split("\n")
    rock = {i for i, line in enumerate(tags) if str(ROCK) in line.split()}
    fit = [p for p in playlists if len(p) >= 2 and sum(s in rock for s in p) * 2 >= len(p)]
    rng = np.random.default_rng(1)
    chosen = [fit[i] for i in sorted(rng.choice(len(fit), size=min(PLAYLISTS, len(fit)), replace=False))]
    used = sorted({s for p in chosen for s in p})
    new_id = {s: i for i, s in enumerate(used)}
    counts = np.bincount([new_id[s] for p in chosen for s in p], minlength=len(used))
    songs = _read(os.path.join(source, "song_hash.txt")).split("\n")
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "train.txt"), "w", encoding="utf-8") as f:
        f.write(" ".join(external[s] for s in used) + "\n")
        f.write(" ".join(str(c) for c in counts) + "\n")
        for p in chosen:
            f.write("".join(f"{new_id[s]} " for s in p) + "\n")
    with open(os.path.join(target, "song_hash.txt"), "w", encoding="utf-8") as f:
        for s in used:
            _, title, artist = songs[s].split("\t")
            f.write(f"{new_id[s]}\t{title}\t{artist}\n")
    print(f"{len(chosen)} playlists of {len(fit)} mostly-rock ones, {len(used)} songs", file=sys.stderr)


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
