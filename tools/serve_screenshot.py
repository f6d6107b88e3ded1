"""Take the README's screenshot of `tokvec serve` with headless Chromium (Debian's chromium, through Playwright).

Starts the server on 127.0.0.1 in this process with the bundled playlist sample's recommender and,
when the shared data is there, the GloVe sample; opens the tokenizer playground, types a sentence
and saves the picture. Nothing is fetched from outside: the page and its assets come from the server.

    .venv/bin/python tools/serve_screenshot.py -o docs/serve.png
    .venv/bin/python tools/serve_screenshot.py --page /vectors?word=king -o docs/serve-vectors.png
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
# Latin script only: a bare machine has no CJK or emoji font, and their boxes would say nothing
TEXT = "Tokenizers split text into tokens: “naïve” café, Grüße aus München, 12345 and 3.14159; the counts differ."


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--output", default=str(ROOT / "docs" / "serve.png"))
    ap.add_argument("--page", default="/", help="the page to show (default: the tokenizer playground)")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=860)
    args = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("the chromium binary is missing (Debian: apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    import tokvec
    from tokvec.recommend import preset, sample_playlists, train_recommender
    from tokvec.serve import BackgroundServer, Resources, create_app

    data = pathlib.Path(os.environ.get("TOKVEC_TEST_DATA", ROOT.parent / "shared" / "data"))
    glove = data / "embeddings-eval" / "glove-sample" / "glove.6B.50d.first2446.utf8.txt"
    vectors = tokvec.KeyedVectors.load(str(glove), format="glove") if glove.exists() else None
    songs = train_recommender(sample_playlists(), preset("book").replace(epochs=2))
    app = create_app(Resources(vectors=vectors, vectors_name=glove.name, recommender=songs))
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with BackgroundServer(app) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.goto(server.url + args.page)
        if args.page == "/":
            page.wait_for_selector('section[data-tokenizer="gpt2"] .tok')
            page.check("#tok-bert-base-uncased")
            page.fill("#text", TEXT)
            page.wait_for_selector('section[data-tokenizer="bert-base-uncased"] .tok')
            page.wait_for_timeout(400)  # the last keystroke's split
        else:
            page.wait_for_load_state("networkidle")
        page.screenshot(path=args.output)
        browser.close()
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
