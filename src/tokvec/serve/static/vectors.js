// the word-vector page: nearest neighbours (click one to go there), analogies, a 2-D PCA map of the neighbourhood
"use strict";
(() => {
  const { el, api, header, showError } = tokvec;
  header("/vectors");
  const word = document.getElementById("word");
  const list = document.getElementById("neighbors");
  const svg = document.getElementById("map");
  const NS = "http://www.w3.org/2000/svg";

  function draw(points) {
    svg.replaceChildren();
    if (!points.length) return;
    const W = svg.width.baseVal.value, H = svg.height.baseVal.value, pad = 40;
    const xs = points.map((p) => p.x), ys = points.map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const sx = (x) => pad + ((x - x0) / (x1 - x0 || 1)) * (W - 2 * pad - 70);  // room for the last label
    const sy = (y) => H - pad - ((y - y0) / (y1 - y0 || 1)) * (H - 2 * pad);
    points.forEach((p, k) => {
      const g = document.createElementNS(NS, "g");
      const c = document.createElementNS(NS, "circle");
      c.setAttribute("cx", sx(p.x)); c.setAttribute("cy", sy(p.y)); c.setAttribute("r", k === 0 ? 6 : 4);
      c.setAttribute("fill", k === 0 ? "#d62728" : "#1f77b4");
      const t = document.createElementNS(NS, "text");
      t.setAttribute("x", sx(p.x) + 7); t.setAttribute("y", sy(p.y) - 5); t.textContent = p.key;
      if (k === 0) t.setAttribute("font-weight", "bold");
      g.append(c, t);
      g.style.cursor = "pointer";
      g.addEventListener("click", () => go(p.key));
      svg.append(g);
    });
  }

  async function go(w) {
    word.value = w;
    history.replaceState(null, "", "?word=" + encodeURIComponent(w));
    try {
      const data = await api("/api/neighbors?word=" + encodeURIComponent(w) + "&k=12");
      list.replaceChildren(...data.neighbors.map((n) => el("li", {},
        el("button", { class: "link neighbor", type: "button", text: n.key, onclick: () => go(n.key) }),
        el("span", { class: "score", text: n.score.toFixed(3) }))));
      draw(data.map);
    } catch (err) {
      showError(list, err);
      svg.replaceChildren();
    }
  }

  document.getElementById("neighbors-form").addEventListener("submit", (e) => { e.preventDefault(); go(word.value.trim()); });
  document.getElementById("analogy-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const out = document.getElementById("analogy");
    const q = ["a", "b", "c"].map((n) => n + "=" + encodeURIComponent(document.getElementById(n).value.trim())).join("&");
    try {
      const data = await api("/api/analogy?" + q + "&k=5");
      out.replaceChildren(...data.answers.map((n) => el("li", {},
        el("button", { class: "link neighbor", type: "button", text: n.key, onclick: () => go(n.key) }),
        el("span", { class: "score", text: n.score.toFixed(3) }))));
    } catch (err) { showError(out, err); }
  });

  api("/api/info").then((info) => {
    if (!info.vectors) { showError(list, new Error("no word vectors: start the server with --vectors FILE")); return; }
    document.getElementById("source").textContent =
      `${info.vectors.name}: ${info.vectors.keys.toLocaleString()} words, ${info.vectors.dimensions} dimensions`;
    const [a, b, c] = ["man", "king", "woman"];
    document.getElementById("a").value = a; document.getElementById("b").value = b; document.getElementById("c").value = c;
    const start = new URLSearchParams(location.search).get("word") || info.vectors.examples[0];
    go(start);
  }).catch((err) => showError(list, err));
})();
