// the sentence page: the cosine similarity matrix of the texts typed, embedded by a model of this server
"use strict";
(() => {
  const { el, api, header, showError } = tokvec;
  header("/sentences");
  const out = document.getElementById("out");
  const texts = document.getElementById("texts");
  const model = document.getElementById("model");

  function shade(v) {
    const t = Math.max(0, Math.min(1, v));
    return `rgb(${Math.round(255 - 120 * t)}, ${Math.round(255 - 60 * t)}, 255)`;
  }

  async function run() {
    const lines = texts.value.split("\n").map((s) => s.trim()).filter(Boolean);
    try {
      const data = await api("/api/similarity", { texts: lines, model: model.value || undefined });
      const head = el("tr", {}, el("th", { text: "" }), ...data.texts.map((_, j) => el("th", { text: String(j + 1) })));
      const rows = data.matrix.map((row, i) => el("tr", {},
        el("th", { text: `${i + 1}. ${data.texts[i]}`, title: `${data.tokens[i]} tokens` }),
        ...row.map((v) => el("td", { class: "sim", style: `background:${shade(v)}`, text: v.toFixed(3) }))));
      out.replaceChildren(el("table", { class: "matrix" }, head, ...rows));
    } catch (err) { showError(out, err); }
  }

  document.getElementById("form").addEventListener("submit", (e) => { e.preventDefault(); run(); });
  texts.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); } });
  api("/api/info").then((info) => {
    if (!info.models.length) { showError(out, new Error("no embedding model: start the server with -m MODEL")); return; }
    for (const m of info.models) model.append(el("option", { value: m.id, text: `${m.id} (${m.dimensions} dimensions)` }));
    run();
  }).catch((err) => showError(out, err));
})();
