// tokvec serve: what every page shares: the header, JSON calls (with the API key when one is set), small helpers
"use strict";

const tokvec = (() => {
  const keyName = "tokvec-api-key";

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  function askKey(message) {
    const box = document.getElementById("key-box");
    box.hidden = false;
    box.querySelector(".muted").textContent = message;
    box.querySelector("input").focus();
  }

  async function api(path, body) {
    const headers = { "Content-Type": "application/json" };
    const key = sessionStorage.getItem(keyName);
    if (key) headers.Authorization = "Bearer " + key;
    const init = body === undefined ? { headers } : { method: "POST", headers, body: JSON.stringify(body) };
    const response = await fetch(path, init);
    const data = await response.json().catch(() => ({ error: { message: response.statusText } }));
    if (response.status === 401) askKey("this server wants an API key");
    if (!response.ok) throw new Error((data.error && data.error.message) || response.statusText);
    return data;
  }

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  }

  function header(current) {
    const pages = [["/", "Tokenizers"], ["/vectors", "Word vectors"], ["/songs", "Songs"], ["/sentences", "Sentences"]];
    const nav = el("nav", { "aria-label": "pages" });
    for (const [href, label] of pages) {
      const a = el("a", { href, text: label });
      if (href === current) a.setAttribute("aria-current", "page");
      nav.append(a);
    }
    const keyInput = el("input", { type: "password", placeholder: "API key", "aria-label": "API key" });
    const keyBox = el("form", { id: "key-box" }, el("span", { class: "muted" }), " ", keyInput, " ", el("button", { text: "use key" }));
    keyBox.hidden = true;
    keyBox.addEventListener("submit", (e) => {
      e.preventDefault();
      sessionStorage.setItem(keyName, keyInput.value);
      location.reload();
    });
    document.body.prepend(el("header", {}, el("span", { class: "brand", text: "tokvec" }), nav, keyBox));
  }

  function showError(node, err) {
    node.replaceChildren(el("div", { class: "error", role: "alert", text: String(err.message || err) }));
  }

  return { el, api, debounce, header, showError };
})();
