// @ts-check
// What count.js says and asks, apart from the page: the words in each language, which counts an element
// wants, and the requests for a page's keys. Kept tiny: count.js goes on every listing page.

/** @typedef {"comments" | "ratings"} Kind */
/** @typedef {Partial<Record<Kind, number | null>>} Counts */

/** @type {Record<string, Record<Kind, [string, string]>>} */
export const WORDS = {
  en: { comments: ["comment", "comments"], ratings: ["rating", "ratings"] },
  fr: { comments: ["commentaire", "commentaires"], ratings: ["note", "notes"] },
  es: { comments: ["comentario", "comentarios"], ratings: ["valoración", "valoraciones"] },
};

/** The server answers at most this many pages a request. */
export const BATCH = 100;

/**
 * The language of the words: data-lang, else the page's, when one of WORDS; English otherwise.
 * @param {string | null | undefined} wanted
 * @returns {string}
 */
export function countLanguage(wanted) {
  const code = (wanted || "en").slice(0, 2).toLowerCase();
  return WORDS[code] ? code : "en";
}

/**
 * "12 comments", "1 note": a count and its word, in `lang`.
 * @param {string} lang
 * @returns {(kind: Kind, n: number) => string}
 */
export function phraser(lang) {
  const plural = new Intl.PluralRules(lang);
  const number = new Intl.NumberFormat(lang);
  return (kind, n) => number.format(n) + " " + WORDS[lang][kind][plural.select(n) === "one" ? 0 : 1];
}

/**
 * The counts an element asks for with data-talkies-count-of: "comments" (also the default), "ratings"
 * or "both".
 * @param {string | undefined} of
 * @returns {Kind[]}
 */
export function kindsOf(of) {
  return of === "both" ? ["comments", "ratings"] : of === "ratings" ? ["ratings"] : ["comments"];
}

/**
 * The text for an element: its counts joined by " · ". A thread without a film has no ratings (null):
 * nothing is said of them rather than "0 ratings".
 * @param {(kind: Kind, n: number) => string} phrase
 * @param {Kind[]} kinds
 * @param {Counts} counts
 * @returns {string}
 */
export function countText(phrase, kinds, counts) {
  /** @type {string[]} */
  const parts = [];
  for (const kind of kinds) {
    const n = counts[kind];
    if (n !== null && n !== undefined) {
      parts.push(phrase(kind, n));
    }
  }
  return parts.join(" · ");
}

/**
 * The request URLs for every distinct key, BATCH at a time: usually one, since a listing rarely shows
 * more.
 * @param {string} origin
 * @param {string} site
 * @param {string[]} keys
 * @returns {URL[]}
 */
export function countUrls(origin, site, keys) {
  const distinct = [...new Set(keys)];
  /** @type {URL[]} */
  const urls = [];
  for (let at = 0; at < distinct.length; at += BATCH) {
    const url = new URL("/api/v1/embed/counts", origin);
    url.searchParams.set("site", site);
    distinct.slice(at, at + BATCH).forEach((key) => url.searchParams.append("page", key));
    urls.push(url);
  }
  return urls;
}
