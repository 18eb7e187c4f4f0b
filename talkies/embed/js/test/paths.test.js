// The API paths the panel asks for.
import assert from "node:assert/strict";
import test from "node:test";

import { canonicalUrl, commentsPath, liveUrl, repliesPath, threadLookupPath } from "../src/paths.js";

const params = (path) => Object.fromEntries(new URL(path, "https://t.test").searchParams);

test("the thread is looked up by the page URL and title, with data-thread and data-film when given", () => {
  const path = threadLookupPath({}, "https://news.test/a?b=1#c", "Ballerina & co");
  assert.ok(path.startsWith("/embed/threads?"));
  assert.deepEqual(params(path), { url: "https://news.test/a?b=1#c", title: "Ballerina & co" });
  assert.deepEqual(params(threadLookupPath({ thread: "t-1", film: "imdb:tt7181546" }, "u", "x")), { url: "u", title: "x", thread: "t-1", film: "imdb:tt7181546" });
  assert.deepEqual(params(threadLookupPath({ thread: "", film: undefined }, "u", "x")), { url: "u", title: "x" });
});

test("the title is cut to the 300 characters the server keeps", () => {
  assert.equal(params(threadLookupPath({}, "u", "é".repeat(400))).title, "é".repeat(300));
});

test("a page of comments names its sort, its size, and its cursor when there is one", () => {
  assert.equal(commentsPath(7, "best"), "/threads/7/comments?sort=best&limit=20");
  assert.equal(commentsPath(7, "new", null), "/threads/7/comments?sort=new&limit=20");
  assert.equal(commentsPath(7, "old", "a+b/c="), "/threads/7/comments?sort=old&limit=20&cursor=a%2Bb%2Fc%3D");
});

test("more replies, and the live stream, escape what they are given", () => {
  assert.equal(repliesPath(4, "x+y="), "/comments/4/replies?cursor=x%2By%3D&limit=20");
  assert.equal(liveUrl("https://t.test", 9, "reel news"), "https://t.test/live/threads/9/?site=reel%20news");
});

test("the canonical URL is the page's canonical link, else its address", () => {
  const doc = (link) => ({ querySelector: () => link, location: { href: "https://news.test/page?utm=1" } });
  assert.equal(canonicalUrl(doc({ href: "https://news.test/page" })), "https://news.test/page");
  assert.equal(canonicalUrl(doc(null)), "https://news.test/page?utm=1");
});
