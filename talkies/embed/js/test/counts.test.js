// count.js: its words, which counts an element wants, and how many requests a listing costs.
import assert from "node:assert/strict";
import test from "node:test";

import { BATCH, countLanguage, countText, countUrls, kindsOf, phraser } from "../src/counts.js";

test("the language is data-lang or the page's when known, else English", () => {
  assert.equal(countLanguage("fr-FR"), "fr");
  assert.equal(countLanguage("ES"), "es");
  assert.equal(countLanguage("de"), "en");
  assert.equal(countLanguage(""), "en");
  assert.equal(countLanguage(undefined), "en");
});

test("a count is said with its word, singular for one (and for zero in French)", () => {
  assert.equal(phraser("en")("comments", 1), "1 comment");
  assert.equal(phraser("en")("comments", 0), "0 comments");
  assert.equal(phraser("en")("ratings", 1200), "1,200 ratings");
  assert.equal(phraser("fr")("comments", 0), "0 commentaire");
  assert.equal(phraser("es")("ratings", 2), "2 valoraciones");
});

test("an element asks for comments unless it says ratings or both", () => {
  assert.deepEqual(kindsOf(undefined), ["comments"]);
  assert.deepEqual(kindsOf("comments"), ["comments"]);
  assert.deepEqual(kindsOf("ratings"), ["ratings"]);
  assert.deepEqual(kindsOf("both"), ["comments", "ratings"]);
  assert.deepEqual(kindsOf("nonsense"), ["comments"]);
});

test("the text joins the counts asked for, and says nothing of ratings a thread without a film lacks", () => {
  const phrase = phraser("en");
  assert.equal(countText(phrase, ["comments", "ratings"], { comments: 3, ratings: 1 }), "3 comments · 1 rating");
  assert.equal(countText(phrase, ["comments", "ratings"], { comments: 3, ratings: null }), "3 comments");
  assert.equal(countText(phrase, ["ratings"], { comments: 3, ratings: null }), "");
  assert.equal(countText(phrase, ["comments"], { comments: 0 }), "0 comments");
});

test("each distinct key is asked for once, at most BATCH to a request", () => {
  const one = countUrls("https://t.test", "reel", ["/a/", "/b/", "/a/"]);
  assert.equal(one.length, 1);
  assert.equal(one[0].origin + one[0].pathname, "https://t.test/api/v1/embed/counts");
  assert.equal(one[0].searchParams.get("site"), "reel");
  assert.deepEqual(one[0].searchParams.getAll("page"), ["/a/", "/b/"]);
  const keys = Array.from({ length: BATCH * 2 + 1 }, (_, i) => "/p/" + i);
  const many = countUrls("https://t.test", "reel", keys);
  assert.deepEqual(many.map((url) => url.searchParams.getAll("page").length), [BATCH, BATCH, 1]);
  assert.deepEqual(countUrls("https://t.test", "reel", []), []);
});
