// @ts-check
// The API paths the panel asks for, built from plain values so they can be tested without a page.
// Every request also names its site (api.js adds ?site=); the server normalises the page URL.

/** The sort orders a reader can choose, in the order the menu lists them. */
export const SORTS = /** @type {const} */ (["best", "top", "new", "old", "controversial"]);

/** How many comments (or replies) one page asks for. */
export const PAGE_SIZE = 20;

/**
 * The thread lookup: found, or created on first use, by the page's canonical URL or by data-thread, with
 * data-film naming its film. The title is cut to the 300 characters the server keeps.
 * @param {{thread?: string, film?: string}} options the panel's data-* options
 * @param {string} url the page's canonical URL
 * @param {string} title the page's title
 * @returns {string}
 */
export function threadLookupPath(options, url, title) {
  const query = new URLSearchParams({ url, title: title.slice(0, 300) });
  for (const name of /** @type {const} */ (["thread", "film"])) {
    const value = options[name];
    if (value) {
      query.set(name, value);
    }
  }
  return `/embed/threads?${query}`;
}

/**
 * One page of a thread's top-level comments in `sort` order, after `cursor` when there is one.
 * @param {number} threadId
 * @param {string} sort
 * @param {string | null} [cursor]
 * @returns {string}
 */
export function commentsPath(threadId, sort, cursor) {
  const query = new URLSearchParams({ sort, limit: String(PAGE_SIZE) });
  if (cursor) {
    query.set("cursor", cursor);
  }
  return `/threads/${threadId}/comments?${query}`;
}

/**
 * The next replies to a comment, after `cursor`.
 * @param {number} commentId
 * @param {string} cursor
 * @returns {string}
 */
export function repliesPath(commentId, cursor) {
  return `/comments/${commentId}/replies?cursor=${encodeURIComponent(cursor)}&limit=${PAGE_SIZE}`;
}

/**
 * The thread's live stream (Server-Sent Events), on Talkies' own origin rather than under /api/v1.
 * @param {string} origin
 * @param {number} threadId
 * @param {string} site
 * @returns {string}
 */
export function liveUrl(origin, threadId, site) {
  return `${origin}/live/threads/${threadId}/?site=${encodeURIComponent(site)}`;
}

/**
 * The page's canonical URL: its <link rel="canonical">, else its own address.
 * @param {Document} doc
 * @returns {string}
 */
export function canonicalUrl(doc) {
  const link = /** @type {HTMLLinkElement | null} */ (doc.querySelector('link[rel="canonical"]'));
  return link ? link.href : doc.location.href;
}
