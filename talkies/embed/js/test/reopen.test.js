// Opening a refused live stream again.
import assert from "node:assert/strict";
import test from "node:test";

import { FIRST_WAIT_MS, LONGEST_WAIT_MS, reopenDelay, resumingUrl } from "../src/reopen.js";

test("the wait doubles from 30 seconds up to ten minutes, spread over its upper half", () => {
  assert.equal(reopenDelay(0, () => 1), FIRST_WAIT_MS);
  assert.equal(reopenDelay(0, () => 0), FIRST_WAIT_MS / 2);
  assert.equal(reopenDelay(1, () => 1), 2 * FIRST_WAIT_MS);
  assert.equal(reopenDelay(3, () => 1), 8 * FIRST_WAIT_MS);
  assert.equal(reopenDelay(50, () => 1), LONGEST_WAIT_MS);
  assert.equal(reopenDelay(1e9, () => 0.5), 0.75 * LONGEST_WAIT_MS);
});

test("a reopened stream resumes after the last event seen", () => {
  assert.equal(resumingUrl("https://t.test/live/threads/2/?site=reel", "41"), "https://t.test/live/threads/2/?site=reel&since=41");
  assert.equal(resumingUrl("/live/threads/2/", "7"), "/live/threads/2/?since=7");
  assert.equal(resumingUrl("/live/threads/2/", ""), "/live/threads/2/");
  assert.equal(resumingUrl("/live/threads/2/", "1&x=2"), "/live/threads/2/");
});
