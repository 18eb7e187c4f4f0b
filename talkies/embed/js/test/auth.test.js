// What the embed remembers of who is writing, in storage that may be missing or refuse.
import assert from "node:assert/strict";
import test from "node:test";

import { createAuth, isMine } from "../src/auth.js";

function memoryStorage() {
  const data = new Map();
  return { data, getItem: (key) => (data.has(key) ? data.get(key) : null), setItem: (key, value) => data.set(key, String(value)) };
}

function withWindow(fields) {
  globalThis.window = { sessionStorage: memoryStorage(), localStorage: memoryStorage(), ...fields };
  return globalThis.window;
}

const ORIGIN = "https://talkies.test";

test("a reader's token is kept for the session, and an expired one is forgotten", () => {
  const win = withWindow();
  const auth = createAuth(ORIGIN);
  assert.equal(auth.reader, null);
  let told = 0;
  auth.listeners.add(() => told++);
  auth.setReader({ token: "t", name: "ada", expires: Date.now() + 60_000 });
  assert.equal(told, 1, "every panel is told");
  assert.equal(createAuth(ORIGIN).reader.token, "t");
  assert.equal(createAuth("https://other.test").reader, null, "each Talkies origin has its own keys");
  win.sessionStorage.setItem("talkies:reader:" + ORIGIN, JSON.stringify({ token: "t", expires: Date.now() - 1 }));
  assert.equal(createAuth(ORIGIN).reader, null);
});

test("a guest's token and name are remembered across visits", () => {
  withWindow();
  createAuth(ORIGIN).saveGuest({ token: "g1" });
  const later = createAuth(ORIGIN);
  later.saveGuest({ name: "Bo" });
  assert.deepEqual(createAuth(ORIGIN).guest, { token: "g1", name: "Bo" });
});

test("the comments written here are remembered, the latest 200", () => {
  const win = withWindow();
  const auth = createAuth(ORIGIN);
  for (let id = 1; id <= 205; id++) {
    auth.remember(id);
  }
  const kept = JSON.parse(win.localStorage.getItem("talkies:mine:" + ORIGIN));
  assert.equal(kept.length, 200);
  assert.equal(kept[0], 6);
  assert.ok(createAuth(ORIGIN).mine.has(205));
});

test("storage that throws (disabled, or even naming it fails) only makes the panel remember less", () => {
  const refusing = { getItem() { throw new Error("SecurityError"); }, setItem() { throw new Error("QuotaExceeded"); } };
  withWindow({ sessionStorage: refusing, localStorage: refusing });
  const auth = createAuth(ORIGIN);
  assert.equal(auth.reader, null);
  assert.deepEqual(auth.guest, {});
  auth.setReader({ token: "t", name: "", expires: Date.now() + 1000 });
  auth.remember(3);
  assert.equal(auth.reader.token, "t");
  assert.ok(auth.mine.has(3));
});

test("a comment is mine when written here, or under the signed-in reader's name", () => {
  const auth = { mine: new Set([7]), reader: null };
  assert.equal(isMine(auth, { id: 7, author_name: "x" }), true);
  assert.equal(isMine(auth, { id: 8, author_name: "ada" }), false);
  assert.equal(isMine({ ...auth, reader: { name: "ada" } }, { id: 8, author_name: "ada" }), true);
  assert.equal(isMine({ ...auth, reader: { name: "" } }, { id: 8, author_name: "" }), false, "no name matches nothing");
});
