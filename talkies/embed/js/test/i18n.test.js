// Choosing a language, plurals, variables, numbers and relative times, and languages that match English.
import assert from "node:assert/strict";
import test from "node:test";

import en from "../src/i18n/en.js";
import { pickLanguage, STRINGS, translator } from "../src/i18n/index.js";

const LANGS = Object.keys(STRINGS);

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
  const t = translator("fr");
  assert.equal(t("comments", { n: 0 }), "0 commentaire");
  assert.equal(t("comments", { n: 1 }), "1 commentaire");
  assert.equal(t("comments", { n: 2 }), "2 commentaires");
});

test("numbers are formatted for the language, strings are put in as they are", () => {
  assert.equal(translator("en")("ratings", { n: 12345 }), "12,345 ratings");
  assert.equal(translator("fr")("ratings", { n: 12345 }).replace(/\s/g, " "), "12 345 notes");
  assert.equal(translator("en")("signedInAs", { name: "{n} 1,5" }), "Signed in as {n} 1,5");
  assert.equal(translator("en")("points", { n: 7.25, max: 10 }), "7.3 out of 10");
  assert.equal(translator("es").number(3.5), "3,5");
});

test("the translator says which language it speaks", () => {
  assert.equal(translator("es").lang, "es");
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
  assert.equal(translator("fr").ago(new Date(now - 86400e3).toISOString(), now), "hier");
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
