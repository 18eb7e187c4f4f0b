// @ts-check
// When the live stream is refused (a 429 or 503 while the server sheds streams, or a proxy's error page),
// EventSource gives up for good: it retries only a dropped connection, never a refusal. The panel opens
// it again after a wait that grows, with jitter so that pages refused together do not come back together.

export const FIRST_WAIT_MS = 30_000;
export const LONGEST_WAIT_MS = 10 * 60_000;

/**
 * How long to wait before the `attempt`-th reopening (0 for the first): 30 s, 60 s, 120 s … up to ten
 * minutes, each spread over its upper half.
 * @param {number} attempt
 * @param {() => number} [random]
 * @returns {number} milliseconds
 */
export function reopenDelay(attempt, random = Math.random) {
  const ceiling = Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * The stream's URL resuming after the last event this page saw: a new EventSource does not send the old
 * one's Last-Event-ID, so the server reads it from `since` instead.
 * @param {string} url
 * @param {string} lastEventId
 * @returns {string}
 */
export function resumingUrl(url, lastEventId) {
  if (!/^[0-9]{1,18}$/.test(lastEventId)) {
    return url;
  }
  return `${url}${url.includes("?") ? "&" : "?"}since=${lastEventId}`;
}
