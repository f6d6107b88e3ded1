// the tokenizer playground: the text split by several tokenizers side by side, with counts, cost and context fit
"use strict";
(() => {
  const { el, api, debounce, header, showError } = tokvec;
  header("/");
  const COLORS = ["#afd7ff", "#ffd7af", "#afffaf", "#ffafff", "#ffffaf", "#d7d7ff"];
  const text = document.getElementById("text");
  const choices = document.getElementById("tokenizers");
  const panels = document.getElementById("panels");
  const meta = document.getElementById("meta");

  function visible(s) {
    return s.replace(/ /g, "·").replace(/\t/g, "→").replace(/\r?\n/g, "↵\n");
  }

  function panel(split) {
    const tokens = el("div", { class: "tokens" });
    split.tokens.forEach((t, k) => {
      const hover = `id ${t.id}: ${t.token}` + (t.kind === "text" ? "" : ` (${t.kind})`);
      tokens.append(el("span", { class: "tok " + t.kind, style: `background:${COLORS[k % COLORS.length]}`,
        title: hover, "data-id": String(t.id), text: visible(t.text) }));
    });
    const rows = split.prices.map((p) => el("tr", {},
      el("td", { text: p.model }), el("td", { text: "$" + p.usd.toFixed(6) }),
      el("td", { text: (p.fits ? "fits in " : "too long for ") + p.window.toLocaleString() + " tokens" })));
    const stats = el("div", { class: "stats" },
      el("div", { text: `${split.chars_per_token ?? "-"} characters per token · ${split.fit}` }),
      rows.length ? el("table", {}, ...rows) : el("div", { text: "no price list for this tokenizer" }));
    return el("section", { class: "panel", "data-tokenizer": split.tokenizer },
      el("h2", {}, el("span", { text: split.tokenizer }),
        el("span", { class: "count", "data-count": String(split.count), text: `${split.count.toLocaleString()} tokens` })),
      tokens, stats);
  }

  async function update() {
    const chosen = [...choices.querySelectorAll("input:checked")].map((c) => c.value);
    try {
      const data = await api("/api/split", { text: text.value, tokenizers: chosen });
      meta.textContent = `${data.characters.toLocaleString()} characters, ${data.bytes.toLocaleString()} bytes of UTF-8`;
      panels.replaceChildren(...data.splits.map(panel));
    } catch (err) {
      showError(panels, err);
    }
  }

  async function start() {
    const info = await api("/api/info");
    const defaults = new Set(info.tokenizers.filter((n) => ["gpt2", "cl100k_base", "o200k_base"].includes(n)));
    for (const m of info.models) if (info.tokenizers.includes(m.id)) defaults.add(m.id);
    for (const name of info.tokenizers) {
      const box = el("input", { type: "checkbox", value: name, id: "tok-" + name });
      box.checked = defaults.has(name);
      box.addEventListener("change", update);
      choices.append(el("label", { for: "tok-" + name }, box, " " + name));
    }
    text.addEventListener("input", debounce(update, 120));
    await update();
  }
  start().catch((err) => showError(panels, err));
})();
