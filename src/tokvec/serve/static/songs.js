// the songs page: search the catalogue, see similar songs, build a playlist and get what to play next
"use strict";
(() => {
  const { el, api, header, showError } = tokvec;
  header("/songs");
  const playlist = [];
  const found = document.getElementById("found");

  function item(song) {
    return el("li", {},
      el("button", { class: "link song", type: "button", text: song.label, title: "similar songs", onclick: () => similar(song) }),
      " ", el("button", { type: "button", class: "add", text: "+", title: "add to the playlist", "aria-label": "add " + song.label,
        onclick: () => add(song) }));
  }

  async function similar(song) {
    document.getElementById("similar-to").textContent = song.label;
    const out = document.getElementById("similar");
    try {
      const data = await api("/api/songs/similar?song=" + encodeURIComponent(song.key) + "&k=10");
      out.replaceChildren(...data.songs.map(item));
    } catch (err) { showError(out, err); }
  }

  async function add(song) {
    if (!playlist.some((s) => s.key === song.key)) playlist.push(song);
    document.getElementById("playlist").replaceChildren(...playlist.map((s) => el("li", { text: s.label })));
    const out = document.getElementById("next");
    try {
      const data = await api("/api/songs/recommend", { playlist: playlist.map((s) => s.key), k: 10 });
      out.replaceChildren(...data.songs.map(item));
    } catch (err) { showError(out, err); }
  }

  document.getElementById("clear").addEventListener("click", () => {
    playlist.length = 0;
    document.getElementById("playlist").replaceChildren();
    document.getElementById("next").replaceChildren();
  });
  document.getElementById("search-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const data = await api("/api/songs/search?q=" + encodeURIComponent(document.getElementById("q").value));
      found.replaceChildren(...(data.songs.length ? data.songs.map(item) : [el("li", { class: "muted", text: "no song matches" })]));
    } catch (err) { showError(found, err); }
  });
  api("/api/info").then((info) => {
    if (!info.songs) { showError(found, new Error("no recommender: start the server with --recommender FILE")); return; }
    document.getElementById("source").textContent = `${info.songs.songs.toLocaleString()} songs`;
    found.replaceChildren(...info.songs.examples.map(item));
  }).catch((err) => showError(found, err));
})();
