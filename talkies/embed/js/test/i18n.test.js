// Choosing a language, plurals, variables, numbers and relative times, and languages that match English.
import assert from "node:assert/strict";
import test from "node:test";

import { readdir } from "node:fs/promises";

import en from "../src/i18n/en.js";
import es from "../src/i18n/es.js";
import fr from "../src/i18n/fr.js";
import { LANGUAGES, loadLanguage, pickLanguage, translator } from "../src/i18n/index.js";

const LANGS = LANGUAGES;
const STRINGS = { en, fr, es };

test("the first candidate naming a known language wins, by its first two letters, any case", () => {
  assert.equal(pickLanguage(LANGS, "fr-CA", "es"), "fr");
  assert.equal(pickLanguage(LANGS, "ES"), "es");
  assert.equal(pickLanguage(LANGS, undefined, "", "de", "es-MX"), "es");
  assert.equal(pickLanguage(LANGS, "de", "it"), "en");
  assert.equal(pickLanguage(LANGS), "en");
  assert.equal(pickLanguage([], "fr", "en-GB"), "en");
});

test("English plurals: one for 1 only", () => {
  const t = translator("en");
  assert.equal(t("comments", { n: 1 }), "1 comment");
  assert.equal(t("comments", { n: 0 }), "0 comments");
  assert.equal(t("comments", { n: 2 }), "2 comments");
});

test("French plurals: 0 and 1 are both singular", () => {
  const t = translator("fr", fr);
  assert.equal(t("comments", { n: 0 }), "0 commentaire");
  assert.equal(t("comments", { n: 1 }), "1 commentaire");
  assert.equal(t("comments", { n: 2 }), "2 commentaires");
});

test("numbers are formatted for the language, strings are put in as they are", () => {
  assert.equal(translator("en")("ratings", { n: 12345 }), "12,345 ratings");
  assert.equal(translator("fr", fr)("ratings", { n: 12345 }).replace(/\s/g, " "), "12 345 notes");
  assert.equal(translator("en")("signedInAs", { name: "{n} 1,5" }), "Signed in as {n} 1,5");
  assert.equal(translator("en")("points", { n: 7.25, max: 10 }), "7.3 out of 10");
  assert.equal(translator("es", es).number(3.5), "3,5");
});

test("the translator says which language it speaks", () => {
  assert.equal(translator("es", es).lang, "es");
});

test("relative times pick the largest whole unit and say 'now' under a minute", () => {
  const now = Date.parse("2025-06-01T12:00:00Z");
  const t = translator("en");
  const ago = (seconds) => t.ago(new Date(now - seconds * 1000).toISOString(), now);
  assert.equal(ago(10), "now");
  assert.equal(ago(150), "2 minutes ago");
  assert.equal(ago(60), "1 minute ago");
  assert.equal(ago(3 * 3600), "3 hours ago");
  assert.equal(ago(86400), "yesterday");
  assert.equal(ago(40 * 86400), "last month");
  assert.equal(ago(800 * 86400), "2 years ago");
  assert.equal(translator("fr", fr).ago(new Date(now - 86400e3).toISOString(), now), "hier");
});

test("every language has every English key, with the same plural forms and the same variables", () => {
  const variables = (text) => [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const [lang, strings] of Object.entries(STRINGS)) {
    assert.deepEqual(Object.keys(strings).sort(), Object.keys(en).sort(), `${lang} has other keys than English`);
    for (const [key, english] of Object.entries(en)) {
      const text = strings[key];
      assert.equal(Array.isArray(text), Array.isArray(english), `${lang}.${key}: plural forms differ from English`);
      const forms = Array.isArray(text) ? text : [text];
      const englishForms = Array.isArray(english) ? english : [english];
      assert.equal(forms.length, englishForms.length, `${lang}.${key}`);
      forms.forEach((form, i) => assert.deepEqual(variables(form), variables(englishForms[i]), `${lang}.${key}: variables`));
    }
  }
});

test("LANGUAGES names every language file in src/i18n", async () => {
  const files = (await readdir(new URL("../src/i18n/", import.meta.url))).filter((name) => name !== "index.js");
  assert.deepEqual(files.map((name) => name.replace(/\.js$/, "")).sort(), [...LANGUAGES].sort());
});

/** A fetch that answers from `files` ({url: body}) and counts what it was asked. */
function fakeFetch(files) {
  const asked = [];
  const fetcher = async (url, init) => {
    asked.push({ url, init });
    if (!(url in files)) {
      return { ok: false, status: 404, json: async () => ({}) };
    }
    return { ok: true, status: 200, json: async () => files[url] };
  };
  return { fetcher, asked };
}

test("English is built in: choosing it fetches nothing", async () => {
  const { fetcher, asked } = fakeFetch({});
  const found = await loadLanguage("https://talkies.test", "en", fetcher);
  assert.equal(found.lang, "en");
  assert.equal(found.strings, en);
  assert.equal(asked.length, 0);
});

test("another language is fetched once from Talkies, without cookies, however many panels ask", async () => {
  const { fetcher, asked } = fakeFetch({ "https://once.test/embed/i18n/fr.json": fr });
  const [first, second] = await Promise.all([
    loadLanguage("https://once.test", "fr", fetcher),
    loadLanguage("https://once.test", "fr", fetcher),
  ]);
  assert.equal(first.lang, "fr");
  assert.equal(translator(first.lang, first.strings)("comments", { n: 2 }), "2 commentaires");
  assert.equal(second.strings, first.strings);
  assert.equal(asked.length, 1);
  assert.equal(asked[0].init.credentials, "omit");
});

test("a language that cannot be fetched is English, and is asked for again next time", async () => {
  const { fetcher, asked } = fakeFetch({});
  const found = await loadLanguage("https://missing.test", "es", fetcher);
  assert.equal(found.lang, "en");
  assert.equal(found.strings.loading, en.loading);
  await loadLanguage("https://missing.test", "es", fetcher);
  assert.equal(asked.length, 2);
});

test("a file that is not strings is refused; a key it lacks reads in English", async () => {
  const origin = "https://odd.test";
  const bad = fakeFetch({ [`${origin}/embed/i18n/fr.json`]: { loading: 42 } });
  assert.equal((await loadLanguage(origin, "fr", bad.fetcher)).lang, "en");
  const partial = fakeFetch({ [`${origin}/embed/i18n/es.json`]: { loading: "Cargando…" } });
  const found = await loadLanguage(origin, "es", partial.fetcher);
  assert.equal(found.lang, "es");
  assert.equal(found.strings.loading, "Cargando…");
  assert.equal(found.strings.retry, en.retry);
});

test("a language not in LANGUAGES is English without asking", async () => {
  const { fetcher, asked } = fakeFetch({});
  assert.equal((await loadLanguage("https://talkies.test", "de", fetcher)).lang, "en");
  assert.equal(asked.length, 0);
});
