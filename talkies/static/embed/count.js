// Talkies comment and rating counts for listing pages, in one request however many there are.
//
//   <script src="<talkies origin>/static/embed/count.js" data-site="reelnews" async></script>
//   <a href="/2025/06/ballerina/" data-talkies-count></a>            -> "12 comments"
//   <span data-talkies-count="my-explicit-id" data-talkies-count-of="ratings"></span>  -> "17 ratings"
//
// The value names the thread as embed.js does (its data-thread, or the page URL); empty, it is the link's
// own href, else this page. data-talkies-count-of is "comments" (the default), "ratings" or "both".
(function () {
  "use strict";

  const script = document.currentScript;
  if (!script || !window.fetch || !script.dataset.site) {
    return;
  }
  const origin = new URL(script.src, location.href).origin;
  const WORDS = {
    en: { comments: ["comment", "comments"], ratings: ["rating", "ratings"] },
    fr: { comments: ["commentaire", "commentaires"], ratings: ["note", "notes"] },
    es: { comments: ["comentario", "comentarios"], ratings: ["valoración", "valoraciones"] },
  };
  const code = (script.dataset.lang || document.documentElement.lang || "en").slice(0, 2).toLowerCase();
  const lang = WORDS[code] ? code : "en";
  const plural = new Intl.PluralRules(lang);
  const number = new Intl.NumberFormat(lang);

  function phrase(kind, n) {
    return number.format(n) + " " + WORDS[lang][kind][plural.select(n) === "one" ? 0 : 1];
  }

  function keyOf(element) {
    return element.getAttribute("data-talkies-count") || element.href || location.href;
  }

  function fill(element, counts) {
    const kinds = { both: ["comments", "ratings"], ratings: ["ratings"] }[element.dataset.talkiesCountOf] || ["comments"];
    // A thread without a film has no ratings (null): say nothing rather than "0 ratings".
    const parts = kinds.filter((kind) => counts[kind] !== null && counts[kind] !== undefined).map((kind) => phrase(kind, counts[kind]));
    element.textContent = parts.join(" · ");
  }

  async function start() {
    const elements = [...document.querySelectorAll("[data-talkies-count]")];
    // The server answers at most 100 pages a request; a listing rarely shows more, so usually one.
    const keys = [...new Set(elements.map(keyOf))];
    for (let at = 0; at < keys.length; at += 100) {
      const url = new URL("/api/v1/embed/counts", origin);
      url.searchParams.set("site", script.dataset.site);
      keys.slice(at, at + 100).forEach((key) => url.searchParams.append("page", key));
      try {
        const answer = await (await fetch(url, { credentials: "omit" })).json();
        elements.filter((element) => answer.counts[keyOf(element)]).forEach((element) => fill(element, answer.counts[keyOf(element)]));
      } catch {
        // Counts are decoration: a page whose counts cannot load keeps whatever text it had.
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
