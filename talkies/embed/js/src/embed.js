// @ts-check
// Talkies reaction panel for publishers' pages: scores, a rating widget and the conversation.
//
//   <script src="<talkies origin>/static/embed/embed.js" data-site="reelnews" data-film="imdb:tt7181546" async></script>
//   <div data-talkies></div>      (optional: data-thread, data-film, data-lang, data-theme, data-sort)
//
// It renders into Shadow DOM and talks only to its own origin, without cookies: a reader is known by the
// short-lived token the first-party sign-in popup posts back, a guest by a token in this page's storage,
// so it works where third-party cookies are blocked. The only HTML it parses is a comment's body_html,
// sanitised by the server; everything else is set as text. Protocol: docs/embedding-api.md.
//
// This is the entry of the bundle: build.mjs makes talkies/static/embed/embed.js of it and what it imports
// (docs/embed-development.md).

import { createRequest } from "./api.js";
import { createAuth, signIn } from "./auth.js";
import { mount } from "./panel.js";

const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
const site = script && script.dataset.site;
// Old browsers, and a tag without data-site, get no panel rather than a broken one.
const modern = /** @type {Partial<Window>} */ (window).fetch && /** @type {Partial<Element>} */ (Element.prototype).attachShadow;
if (script && site && modern) {
  performance.mark("talkies:script");
  const origin = new URL(script.src, location.href).origin;
  const auth = createAuth(origin);
  /** @type {import("./panel.js").Config} */
  const config = {
    origin,
    site, // every request names it (docs/embedding-api.md)
    defaults: script.dataset, // read at each mount, as a placeholder's own data-* are
    auth,
    request: createRequest({ api: origin + "/api/v1", site, auth }),
    signIn: () => signIn(origin, site, auth),
  };

  // Each placeholder mounts when it comes within ~600px of the viewport.
  const start = () => {
    const hosts = /** @type {HTMLElement[]} */ ([...document.querySelectorAll("[data-talkies]")]).filter((host) => !host.dataset.talkiesMounted);
    /** @type {IntersectionObserver | null} */
    const near = window.IntersectionObserver
      ? new IntersectionObserver((entries) => entries.forEach((entry) => {
        if (entry.isIntersecting) {
          /** @type {IntersectionObserver} */ (near).unobserve(entry.target);
          mount(/** @type {HTMLElement} */ (entry.target), config);
        }
      }), { rootMargin: "600px" })
      : null;
    for (const host of hosts) {
      host.dataset.talkiesMounted = "";
      if (!host.style.minHeight) {
        host.style.minHeight = "24rem"; // reserve room now: no layout shift later
      }
      if (near) {
        near.observe(host);
      } else {
        mount(host, config);
      }
    }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}
