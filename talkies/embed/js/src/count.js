// @ts-check
// Talkies comment and rating counts for listing pages, in one request however many there are.
//
//   <script src="<talkies origin>/static/embed/count.js" data-site="reelnews" async></script>
//   <a href="/2025/06/ballerina/" data-talkies-count></a>            -> "12 comments"
//   <span data-talkies-count="my-explicit-id" data-talkies-count-of="ratings"></span>  -> "17 ratings"
//
// The value names the thread as embed.js does (its data-thread, or the page URL); empty, it is the link's
// own href, else this page. data-talkies-count-of is "comments" (the default), "ratings" or "both".
// This is the entry of the bundle that build.mjs makes into talkies/static/embed/count.js.

import { countLanguage, countText, countUrls, kindsOf, phraser } from "./counts.js";

const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
const site = script && script.dataset.site;
if (script && site && /** @type {Partial<Window>} */ (window).fetch) {
  const origin = new URL(script.src, location.href).origin;
  const phrase = phraser(countLanguage(script.dataset.lang || document.documentElement.lang));

  /** @param {HTMLElement} element */
  const keyOf = (element) => element.getAttribute("data-talkies-count") || /** @type {HTMLAnchorElement} */ (element).href || location.href;

  const start = async () => {
    const elements = /** @type {HTMLElement[]} */ ([...document.querySelectorAll("[data-talkies-count]")]);
    for (const url of countUrls(origin, site, elements.map(keyOf))) {
      try {
        /** @type {{counts: Record<string, import("./counts.js").Counts>}} */
        const answer = await (await fetch(url, { credentials: "omit" })).json();
        for (const element of elements) {
          const counts = answer.counts[keyOf(element)];
          if (counts) {
            element.textContent = countText(phrase, kindsOf(element.dataset.talkiesCountOf), counts);
          }
        }
      } catch {
        // Counts are decoration: a page whose counts cannot load keeps whatever text it had.
      }
    }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}
