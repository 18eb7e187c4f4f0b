// Error mapping and how requests are made: the site on every one, a token only on writes, never a cookie.
import assert from "node:assert/strict";
import test from "node:test";

import { ApiError, actionKeys, apiError, createRequest, messageOf, POPUP_BLOCKED, WRITE_RETRIES } from "../src/api.js";

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
  await reader("/comments/1/vote", { method: "POST", body: { value: 1 }, write: true, key: "k1" });
  assert.deepEqual(calls[0].headers, { "Content-Type": "application/json", Authorization: "Bearer R", "Idempotency-Key": "k1" });
  assert.equal(calls[0].body, '{"value":1}');
  const guest = createRequest({ api: "https://t.test/api/v1", site: "s", auth: fakeAuth({ guest: { token: "G" } }) });
  await guest("/comments/1", { method: "DELETE", write: true, key: "k2" });
  assert.deepEqual(calls[1].headers, { "X-Talkies-Guest-Token": "G", "Idempotency-Key": "k2" });
});

test("every write carries an Idempotency-Key of its own, reads none", async () => {
  const calls = fakeFetch(200, {});
  const request = createRequest({ api: "https://t.test/api/v1", site: "s", auth: fakeAuth() });
  await request("/guest-token", { method: "POST" });
  await request("/guest-token", { method: "POST" });
  await request("/threads/3");
  const [first, second, read] = calls.map((call) => call.headers["Idempotency-Key"]);
  assert.match(first, /^[0-9a-f-]{32,36}$/);
  assert.notEqual(first, second);
  assert.equal(read, undefined);
});

test("a write whose answer never came is sent again with the same key, a few times at most", async () => {
  const keys = [];
  let failures = WRITE_RETRIES;
  globalThis.fetch = async (url, init) => {
    keys.push(init.headers["Idempotency-Key"]);
    if (failures-- > 0) {
      throw new TypeError("Failed to fetch");
    }
    return { ok: true, status: 201, statusText: "Created", json: async () => ({ id: 7 }) };
  };
  const request = createRequest({ api: "https://t.test/api/v1", site: "s", auth: fakeAuth({ reader: { token: "R" } }) });
  assert.deepEqual(await request("/threads/3/comments", { method: "POST", body: { body: "Hi" }, write: true }), { id: 7 });
  assert.equal(keys.length, WRITE_RETRIES + 1);
  assert.equal(new Set(keys).size, 1);

  globalThis.fetch = async () => {
    throw new TypeError("Failed to fetch");
  };
  await assert.rejects(request("/threads/3/comments", { method: "POST", body: { body: "Hi" }, write: true }), TypeError);
});

test("a read that gets no answer is not sent again", async () => {
  let calls = 0;
  globalThis.fetch = async () => {
    calls++;
    throw new TypeError("Failed to fetch");
  };
  const request = createRequest({ api: "https://t.test/api/v1", site: "s", auth: fakeAuth() });
  await assert.rejects(request("/threads/3"), TypeError);
  assert.equal(calls, 1);
});

test("the same action keeps its key until it is done; another action gets a new one", () => {
  const keys = actionKeys();
  const first = keys.keyFor('{"body":"Loved it"}');
  assert.equal(keys.keyFor('{"body":"Loved it"}'), first, "pressing Post again after a failure");
  const edited = keys.keyFor('{"body":"Loved it!"}');
  assert.notEqual(edited, first);
  keys.done();
  assert.notEqual(keys.keyFor('{"body":"Loved it!"}'), edited, "the same words posted again after success");
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
