// @ts-check
// Choosing a language, loading it, and the translator every part of the panel speaks through.
//
// English is built into embed.js; every other language is a JSON file the build writes beside it
// (talkies/static/embed/i18n/<lang>.json, served at <origin>/embed/i18n/<lang>.json) and a page fetches
// only when it speaks that language, so a language added costs readers of the others nothing.

import en from "./en.js";

/** @typedef {keyof typeof en} Key */
/** @typedef {Record<Key, string | [string, string]>} Strings */
/** @typedef {Record<string, string | number>} Vars */

/** The languages the panel speaks, by two-letter code: a file in this folder each. */
export const LANGUAGES = ["en", "fr", "es"];

/** @type {Map<string, Promise<Strings>>} by origin and language: each fetched once per page, however many panels */
const loading = new Map();

/**
 * Whether `value` has the shape of a language's strings: a string, or [one, other], for each key.
 * @param {unknown} value
 * @returns {value is Partial<Strings>}
 */
function looksLikeStrings(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    Object.values(value).every((text) => typeof text === "string" ||
      (Array.isArray(text) && text.length === 2 && text.every((form) => typeof form === "string")));
}

/**
 * The strings of `lang`, fetched from Talkies at `origin` the first time a page asks. A key the file
 * lacks reads in English; a language that cannot be fetched is English altogether, so the panel always
 * works. Resolves to the language actually spoken with its strings.
 * @param {string} origin where Talkies is (the script's own origin)
 * @param {string} lang a code from LANGUAGES (anything else is English)
 * @param {typeof fetch} [fetcher] for tests
 * @returns {Promise<{lang: string, strings: Strings}>}
 */
export async function loadLanguage(origin, lang, fetcher = (input, init) => fetch(input, init)) {
  if (lang === "en" || !LANGUAGES.includes(lang)) {
    return { lang: "en", strings: en };
  }
  const key = `${origin} ${lang}`;
  let strings = loading.get(key);
  if (!strings) {
    strings = fetcher(`${origin}/embed/i18n/${lang}.json`, { credentials: "omit" })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
      .then((found) => (looksLikeStrings(found) ? { ...en, ...found } : Promise.reject(new Error("not strings"))));
    loading.set(key, strings);
    // A failure is not kept: the next panel (or a retry) asks again.
    strings.catch(() => loading.delete(key));
  }
  try {
    return { lang, strings: await strings };
  } catch {
    return { lang: "en", strings: en };
  }
}

/**
 * t("comments", {n: 3}) → "3 comments"; t.lang is the language it speaks.
 * @typedef {((key: Key, vars?: Vars) => string) & {
 *   lang: string,
 *   number: (value: number) => string,
 *   ago: (iso: string, now?: number) => string,
 * }} Translator
 */

/**
 * The first candidate ("fr", "fr-CA", "FR") that names an available language; English otherwise.
 * @param {Iterable<string>} available language codes, English included or not
 * @param {...(string | null | undefined)} candidates
 * @returns {string}
 */
export function pickLanguage(available, ...candidates) {
  const known = new Set(available);
  for (const candidate of candidates) {
    const code = (candidate || "").slice(0, 2).toLowerCase();
    if (code === "en" || known.has(code)) {
      return code;
    }
  }
  return "en";
}

/** @type {[Intl.RelativeTimeFormatUnit, number][]} */
const UNITS = [["year", 31536e3], ["month", 2592e3], ["day", 86400], ["hour", 3600], ["minute", 60]];

/**
 * A translator speaking `lang` with its `strings` (from loadLanguage; English when left out).
 * @param {string} lang
 * @param {Strings} [strings]
 * @returns {Translator}
 */
export function translator(lang, strings = en) {
  const plural = new Intl.PluralRules(lang);
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  const relative = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
  /** @param {Key} key @param {Vars} [vars] */
  const t = (key, vars = {}) => {
    let text = strings[key];
    if (Array.isArray(text)) {
      text = text[plural.select(Number(vars.n)) === "one" ? 0 : 1];
    }
    return text.replace(/\{(\w+)\}/g, (_, name) => {
      const value = vars[name];
      return typeof value === "number" ? number.format(value) : String(value);
    });
  };
  return Object.assign(t, {
    lang,
    /** @param {number} value */
    number: (value) => number.format(value),
    /** @param {string} iso @param {number} [now] */
    ago: (iso, now = Date.now()) => {
      const seconds = (new Date(iso).getTime() - now) / 1000;
      for (const [unit, size] of UNITS) {
        if (Math.abs(seconds) >= size) {
          return relative.format(Math.round(seconds / size), unit);
        }
      }
      return relative.format(0, "second");
    },
  });
}
