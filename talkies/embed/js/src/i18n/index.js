// @ts-check
// Choosing a language, and the translator every part of the panel speaks through.
//
// Every language is built into embed.js. French and Spanish add about 1.7 kB gzipped to English alone, and
// the whole stays well inside the 15 kB budget (docs/embed-development.md); loading them on demand would
// cost a second request and an asynchronous start before the panel could say "Loading…" in its language.

import en from "./en.js";
import es from "./es.js";
import fr from "./fr.js";

/** @typedef {keyof typeof en} Key */
/** @typedef {Record<Key, string | [string, string]>} Strings */
/** @typedef {Record<string, string | number>} Vars */

/** The strings of each language the panel speaks, by two-letter code. */
/** @type {Record<string, Strings>} */
export const STRINGS = { en, fr, es };

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
 * A translator for `lang` (one of STRINGS), or for `strings` given in its place (tests).
 * @param {string} lang
 * @param {Strings} [strings]
 * @returns {Translator}
 */
export function translator(lang, strings = STRINGS[lang]) {
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
