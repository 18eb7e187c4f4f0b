// Error mapping and how requests are made: the site on every one, a token only on writes, never a cookie.
import assert from "node:assert/strict";
import test from "node:test";

import { ApiError, apiError, createRequest, messageOf, POPUP_BLOCKED } from "../src/api.js";

test("a refusal carries the server's sentence and the field it names", () => {
  const error = apiError(400, "Bad Request", { error: "Write something first.", field: "body" });
  assert.ok(error instanceof ApiError);
  assert.equal(error.status, 400);
  assert.equal(error.message, "Write something first.");
  assert.equal(error.field, "body");
});

test("an answer without a sentence (a proxy's page, an empty body) says the bare status", () => {
  assert.equal(apiError(502, "Bad Gateway", null).message, "502 Bad Gateway");
  assert.equal(apiError(500, "Internal Server Error", { error: "" }).message, "500 Internal Server Error");
  assert.equal(apiError(404, "Not Found", "<html>").message, "404 Not Found");
  assert.equal(apiError(404, "Not Found", null).field, undefined);
});

test("a blocked popup is told in the reader's language; anything else in its own words", () => {
  const t = (key) => ({ popupBlocked: "Allow pop-ups" })[key];
  assert.equal(messageOf(new ApiError(0, POPUP_BLOCKED), t), "Allow pop-ups");
  assert.equal(messageOf(new ApiError(403, "Closed."), t), "Closed.");
  assert.equal(messageOf(new TypeError("Failed to fetch"), t), "Failed to fetch");
});

/** A fetch that records each call and answers with `status` and `data`. */
function fakeFetch(status, data) {
  const calls = [];
  globalThis.fetch = async (url, init) => {
    calls.push({ url: String(url), ...init });
    return {
      ok: status >= 200 && status < 300,
      status,
      statusText: status === 401 ? "Unauthorized" : "OK",
      json: async () => (data === undefined ? Promise.reject(new SyntaxError("not JSON")) : data),
    };
  };
  return calls;
}

function fakeAuth(fields) {
  return { reader: null, guest: {}, setReader(reader) { this.reader = reader; this.cleared = reader === null; }, ...fields };
}

test("a read names the site, sends no token nor body, and omits credentials", async () => {
  const calls = fakeFetch(200, { ok: 1 });
  const request = createRequest({ api: "https://talkies.test/api/v1", site: "reel news", auth: fakeAuth({ reader: { token: "r" } }) });
  assert.deepEqual(await request("/threads/3/comments?sort=new"), { ok: 1 });
  const [call] = calls;
  assert.equal(call.url, "https://talkies.test/api/v1/threads/3/comments?sort=new&site=reel+news");
  assert.equal(call.method, "GET");
  assert.deepEqual(call.headers, {});
  assert.equal(call.body, undefined);
  assert.equal(call.credentials, "omit");
});

test("a personal read carries the reader's token, else the guest's, else nothing", async () => {
  const calls = fakeFetch(200, {});
  const reader = createRequest({ api: "https://t.test/api/v1", site: "s", auth: fakeAuth({ reader: { token: "R" }, guest: { token: "G" } }) });
  await reader("/threads/3/comments?sort=best", { personal: true });
  assert.deepEqual(calls[0].headers, { Authorization: "Bearer R" });
  assert.equal(calls[0].method, "GET");
  const guest = createRequest({ api: "https://t.test/api/v1", site: "s", auth: fakeAuth({ guest: { token: "G" } }) });
  await guest("/comments/4/replies", { personal: true });
  assert.deepEqual(calls[1].headers, { "X-Talkies-Guest-Token": "G" });
  const nobody = createRequest({ api: "https://t.test/api/v1", site: "s", auth: fakeAuth() });
  await nobody("/threads/3/comments?sort=best", { personal: true });
  assert.deepEqual(calls[2].headers, {}, "a reader nobody knows sends no credential: the cached page answers");
  assert.equal(calls[2].credentials, "omit");
});

test("a write carries the reader's bearer token, else the guest's token, and its body as JSON", async () => {
  const calls = fakeFetch(200, {});
  const reader = createRequest({ api: "https://t.test/api/v1", site: "s", auth: fakeAuth({ reader: { token: "R" }, guest: { token: "G" } }) });
  await reader("/comments/1/vote", { method: "POST", body: { value: 1 }, write: true });
  assert.deepEqual(calls[0].headers, { "Content-Type": "application/json", Authorization: "Bearer R" });
  assert.equal(calls[0].body, '{"value":1}');
  const guest = createRequest({ api: "https://t.test/api/v1", site: "s", auth: fakeAuth({ guest: { token: "G" } }) });
  await guest("/comments/1", { method: "DELETE", write: true });
  assert.deepEqual(calls[1].headers, { "X-Talkies-Guest-Token": "G" });
});

test("a refused write throws the mapped error; a 401 on a reader's write signs them out", async () => {
  fakeFetch(401, { error: "Your sign-in expired." });
  const auth = fakeAuth({ reader: { token: "old" } });
  const request = createRequest({ api: "https://t.test/api/v1", site: "s", auth });
  await assert.rejects(request("/films/x/rating", { method: "PUT", body: {}, write: true }), (error) => {
    assert.equal(error.status, 401);
    assert.equal(error.message, "Your sign-in expired.");
    return true;
  });
  assert.equal(auth.reader, null);
});

test("a 401 on a read leaves the reader signed in; a body that is not JSON still gives an error", async () => {
  fakeFetch(401, undefined);
  const auth = fakeAuth({ reader: { token: "t" } });
  const request = createRequest({ api: "https://t.test/api/v1", site: "s", auth });
  await assert.rejects(request("/x"), { message: "401 Unauthorized" });
  assert.deepEqual(auth.reader, { token: "t" });
});
