// @ts-check
// Talking to the Talkies API: every request names its site, none carries a cookie, and a refusal becomes
// an ApiError carrying the server's own sentence (docs/api.md: errors name the field).

/**
 * `write`: the request changes something and carries who is writing. `personal`: a read whose answer
 * depends on who is reading (a comment page says what this reader may do with each comment), so it
 * carries who is reading when anyone is signed in or known as a guest. `key`: the Idempotency-Key of the
 * reader's action, for an action the reader may repeat (see actionKeys); any other write gets a new one.
 * @typedef {{method?: string, body?: unknown, write?: boolean, personal?: boolean, key?: string}} RequestOptions
 */
/** @typedef {(path: string, options?: RequestOptions) => Promise<any>} Request */

/** How many times a write is sent again, with the same Idempotency-Key, when no answer came back. */
export const WRITE_RETRIES = 2;

/** What signIn() rejects with when the browser blocked its popup; the panel says how to allow it. */
export const POPUP_BLOCKED = "popup-blocked";

export class ApiError extends Error {
  /**
   * @param {number} status the HTTP status; 0 when no request was made
   * @param {string} message
   * @param {string} [field] the field the server named as the cause
   * @param {number} [retryAfter] seconds to wait, from a 429's Retry-After
   */
  constructor(status, message, field, retryAfter) {
    super(message);
    this.status = status;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

/**
 * The error for an answer that is not ok: the server's `error` sentence when it gave one, else the bare
 * status ("502 Bad Gateway" from a proxy that never reached Talkies).
 * @param {number} status
 * @param {string} statusText
 * @param {unknown} data the parsed body, or null when it was not JSON
 * @param {string | null} [retryAfter] the Retry-After header (CORS exposes it): whole seconds
 * @returns {ApiError}
 */
export function apiError(status, statusText, data, retryAfter) {
  const body = /** @type {{error?: unknown, field?: unknown}} */ (data && typeof data === "object" ? data : {});
  const message = typeof body.error === "string" && body.error ? body.error : status + " " + statusText;
  const wait = Number(retryAfter);
  return new ApiError(status, message, typeof body.field === "string" ? body.field : undefined, wait > 0 ? wait : undefined);
}

/**
 * What the reader is told about a failure: a sentence of ours for a blocked popup, else the error's own.
 * @param {unknown} error
 * @param {(key: "popupBlocked") => string} t
 * @returns {string}
 */
export function messageOf(error, t) {
  if (!(error instanceof Error)) {
    return String(error);
  }
  return error.message === POPUP_BLOCKED ? t("popupBlocked") : error.message;
}

/**
 * A new Idempotency-Key. crypto.randomUUID exists only on https pages (and localhost); a host page on
 * plain http still has getRandomValues.
 * @returns {string}
 */
export function newKey() {
  if (typeof crypto.randomUUID === "function") {
    return crypto.randomUUID();
  }
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Idempotency-Keys for one form: the same action sent again (the same `what`: its path and body) reuses
 * its key until done() says it was saved, so pressing Post again after "Failed to fetch" cannot post
 * twice; a changed text is a new action with a new key.
 * @returns {{keyFor: (what: string) => string, done: () => void}}
 */
export function actionKeys() {
  let last = { what: "", key: "" };
  return {
    keyFor(what) {
      if (!last.key || last.what !== what) {
        last = { what, key: newKey() };
      }
      return last.key;
    },
    done() {
      last = { what: "", key: "" };
    },
  };
}

/**
 * The request function for one script: `api` is Talkies' /api/v1 URL, `site` the data-site slug.
 * @param {{api: string, site: string, auth: import("./auth.js").Auth}} config
 * @returns {Request}
 */
export function createRequest({ api, site, auth }) {
  // Writes, and the reads the server answers per reader, carry a token; every other read carries no
  // credential, so it needs no CORS preflight and a reader nobody knows gets the shared, cached page.
  // Never a cookie.
  return async function request(path, { method = "GET", body, write = false, personal = false, key } = {}) {
    const identified = write || personal;
    const url = new URL(api + path);
    url.searchParams.set("site", site);
    /** @type {Record<string, string>} */
    const headers = {};
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    if (identified && auth.reader) {
      headers.Authorization = "Bearer " + auth.reader.token;
    } else if (identified && auth.guest.token) {
      headers["X-Talkies-Guest-Token"] = auth.guest.token;
    }
    // Every write carries a key, so that sending it again after a lost answer (the connection dropped,
    // the server restarted) is answered with the first result instead of being done twice (docs/api.md).
    const changes = method !== "GET";
    if (changes) {
      headers["Idempotency-Key"] = key || newKey();
    }
    const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: /** @type {const} */ ("omit") };
    let response;
    for (let attempt = 0; ; attempt++) {
      try {
        response = await fetch(url, init);
        break;
      } catch (failure) {
        if (!changes || attempt >= WRITE_RETRIES) {
          throw failure;
        }
      }
    }
    const data = await response.json().catch(() => null);
    if (response.status === 401 && auth.reader && identified) {
      auth.setReader(null); // expired: the panel offers to sign in again
    }
    if (!response.ok) {
      throw apiError(response.status, response.statusText, data, response.status === 429 ? response.headers.get("Retry-After") : null);
    }
    return data;
  };
}
