// @ts-check
// One reaction panel: mounted into a placeholder's shadow root, it loads the thread (and the film's scores)
// and draws the account bar, the composer and the conversation.

import { signInWithSso } from "./auth.js";
import { composer } from "./composer.js";
import { articleOf, button, el, followTheme } from "./dom.js";
import { LANGUAGES, loadLanguage, pickLanguage, translator } from "./i18n/index.js";
import { listen, showPending } from "./live.js";
import { postedMessage } from "./moderation.js";
import { canonicalUrl, commentsPath, threadLookupPath } from "./paths.js";
import { scoreCards } from "./scores.js";
import { CSS } from "./styles.js";

/** @type {CSSStyleSheet | null} */
let sharedSheet = null;

/**
 * The panel's stylesheet: a constructed one adopted by the shadow root where the browser can (every
 * current one), which a host page's Content-Security-Policy does not govern, so hosts need no
 * `style-src 'unsafe-inline'`; else a <style> element, returned to be put in the root.
 * @param {ShadowRoot} root
 * @returns {HTMLElement[]}
 */
function styleFor(root) {
  if ("adoptedStyleSheets" in root && typeof CSSStyleSheet.prototype.replaceSync === "function") {
    sharedSheet = sharedSheet || new CSSStyleSheet();
    if (!sharedSheet.cssRules.length) {
      sharedSheet.replaceSync(CSS);
    }
    root.adoptedStyleSheets = [sharedSheet];
    return [];
  }
  return [el("style", "", CSS)];
}
import { fillList, insert, sortControl } from "./thread.js";

/** @typedef {import("./types.js").Context} Context */
/** @typedef {import("./types.js").State} State */

/**
 * What every panel of one script shares: where Talkies is, the site, who is writing, how to ask.
 * @typedef {object} Config
 * @property {string} origin
 * @property {string} site
 * @property {Record<string, string | undefined>} defaults the script tag's data-* options
 * @property {import("./auth.js").Auth} auth
 * @property {import("./api.js").Request} request
 * @property {() => Promise<void>} signIn
 */

/**
 * @param {HTMLElement} host a [data-talkies] placeholder
 * @param {Config} config
 */
export function mount(host, config) {
  /** @type {Record<string, string | undefined>} */
  const options = { ...config.defaults, ...host.dataset };
  const lang = pickLanguage(LANGUAGES, options.lang, document.documentElement.lang);
  // The thread is asked for while the page's language loads, so a French page waits for one, not both.
  const lookup = config.request(threadLookupPath(options, canonicalUrl(document), document.title));
  lookup.catch(() => {}); // handled when the panel starts; not an unhandled rejection meanwhile
  loadLanguage(config.origin, lang).then(({ lang, strings }) => start(host, config, options, translator(lang, strings), lookup));
}

/**
 * Draw the panel in the language `t` speaks, beginning with the thread `lookup` already under way.
 * @param {HTMLElement} host
 * @param {Config} config
 * @param {Record<string, string | undefined>} options the script's and the placeholder's data-* options
 * @param {import("./i18n/index.js").Translator} t
 * @param {Promise<any>} lookup
 */
function start(host, config, options, t, lookup) {
  const { auth, request } = config;
  /** @type {Promise<any> | null} the first load's thread; a retry asks again */
  let firstLookup = lookup;
  const root = host.shadowRoot || host.attachShadow({ mode: "open" });
  /** @type {State} */
  const state = {
    thread: /** @type {any} */ (null), // set by load() before anything reads it
    film: null,
    scores: null,
    sort: options.sort || "",
    cursor: null,
    nodes: new Map(),
    pending: [],
    votes: new Map(),
    source: null,
  };

  const status = el("p", { className: "sr", role: "status", "aria-live": "polite" });
  const panel = el("section", { className: "panel", "aria-label": t("panel"), lang: t.lang }, el("p", "muted", t("loading")));
  root.replaceChildren(...styleFor(root), panel, status);
  followTheme(panel, options.theme);
  // Signing in or out (here, or in another panel on the page) changes what every form asks for.
  auth.listeners.add(() => panel.querySelectorAll(".account, form.composer").forEach((node) => /** @type {import("./types.js").Drawable} */ (node).draw()));

  /** @param {string} text */
  const announce = (text) => {
    status.textContent = "";
    // Screen readers announce a change reliably only after the region was cleared.
    setTimeout(() => (status.textContent = text), 50);
  };

  /** @type {Context} */
  const ctx = { origin: config.origin, site: config.site, t, state, panel, announce, request, auth, signIn: config.signIn };

  async function load() {
    try {
      const thread = firstLookup || request(threadLookupPath(options, canonicalUrl(document), document.title));
      firstLookup = null;
      state.thread = await thread;
      state.film = state.thread.film;
      state.sort = state.sort || state.thread.default_sort;
      const [scores, page] = await Promise.all([
        state.film ? request(`/films/${state.film.slug}/scores`).catch(() => null) : null, // the thread still shows
        request(commentsPath(state.thread.id, state.sort), { personal: true }),
      ]);
      state.scores = scores;
      render(page);
      performance.mark("talkies:panel-rendered");
      listen(ctx, load);
    } catch (error) {
      panel.replaceChildren(el("p", { role: "alert" }, t("failed", { error: /** @type {Error} */ (error).message })), button(t("retry"), load, "button"));
    }
  }

  /** @param {import("./types.js").Comment | null} comment the thread's own composer has no Cancel */
  function added(comment) {
    if (!comment) {
      return;
    }
    insert(ctx, comment, true);
    announce(postedMessage(comment, t)); // held for a moderator, it says so rather than "posted"
  }

  /** @param {import("./types.js").CommentsPage} page */
  function render(page) {
    const thread = state.thread;
    const count = el("h2", "count", t("comments", { n: page.comment_count }));
    const loadMore = el("button", { type: "button", className: "button load-more", hidden: true }, t("loadMore"));
    loadMore.onclick = async () => {
      loadMore.disabled = true;
      try {
        const items = fillList(ctx, await request(commentsPath(thread.id, state.sort, state.cursor), { personal: true }), false);
        if (items[0]) {
          articleOf(items[0]).focus();
        }
      } catch (error) {
        announce(/** @type {Error} */ (error).message);
      } finally {
        loadMore.disabled = false;
      }
    };
    const liveButton = el("button", { type: "button", className: "button live", hidden: true, onclick: () => showPending(ctx) });
    const scores = state.scores ? scoreCards(ctx, state.scores) : "";
    panel.replaceChildren(
      el("h2", "sr", t("panel")), // the cards' headings need one above them
      scores,
      count,
      el("p", "muted small", t("spoilerNote")),
      accountBar(),
      thread.is_closed ? el("p", "notice", t("closed")) : composer(ctx, { onDone: added }),
      page.comments.length ? sortControl(ctx) : "",
      liveButton,
      el("p", "muted empty", t("noComments")),
      el("ol", "comments"),
      loadMore,
    );
    fillList(ctx, page, true);
  }

  function accountBar() {
    const bar = /** @type {import("./types.js").Drawable} */ (/** @type {unknown} */ (el("div", "account")));
    const draw = () => {
      if (auth.reader) {
        bar.replaceChildren(el("span", "", t("signedInAs", { name: auth.reader.name })), " ",
          button(t("signOut"), () => auth.setReader(null)));
      } else {
        bar.replaceChildren(button(t("signIn"), () => config.signIn().catch(() => announce(t("popupBlocked"))), "button"), state.thread.allow_guests === false ? "" : el("span", "muted", " " + t("orGuest")));
      }
    };
    bar.draw = draw;
    draw();
    return bar;
  }

  signInWithSso(request, auth, options.sso);
  load();
}
