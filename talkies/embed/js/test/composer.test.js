// When the composer asks the server whether a comment gives the film away, before posting it.
import assert from "node:assert/strict";
import test from "node:test";

import { asksAboutSpoilers } from "../src/composer.js";

const FILM = { slug: "ballerina", title: "Ballerina" };
const TWIST = "Turns out the Director was behind it all along.";

test("an untagged comment in a film's thread is checked first", () => {
  assert.equal(asksAboutSpoilers(TWIST, { tagged: false, asked: "", film: FILM }), true);
});

test("a comment tagged a spoiler, or hiding part of itself, posts at once", () => {
  assert.equal(asksAboutSpoilers(TWIST, { tagged: true, asked: "", film: FILM }), false);
  assert.equal(asksAboutSpoilers("Great film. >!She dies.!< Loved it.", { tagged: false, asked: "", film: FILM }), false);
});

test("markers that do not close on the same line hide nothing, so the text is still checked", () => {
  assert.equal(asksAboutSpoilers("Wow >! she dies\n!< at the end", { tagged: false, asked: "", film: FILM }), true);
  assert.equal(asksAboutSpoilers("Wow >!!< at the end", { tagged: false, asked: "", film: FILM }), true);
});

test("the reader is asked once per text: again only once they change it", () => {
  assert.equal(asksAboutSpoilers(TWIST, { tagged: false, asked: TWIST, film: FILM }), false);
  assert.equal(asksAboutSpoilers(TWIST + " Wow.", { tagged: false, asked: TWIST, film: FILM }), true);
});

test("a thread with no film is not checked; one whose film the server did not say is", () => {
  assert.equal(asksAboutSpoilers(TWIST, { tagged: false, asked: "", film: null }), false);
  assert.equal(asksAboutSpoilers(TWIST, { tagged: false, asked: "", film: undefined }), true);
});
