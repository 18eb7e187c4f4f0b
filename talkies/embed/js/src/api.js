// @ts-check
// Talking to the Talkies API: every request names its site, none carries a cookie, and a refusal becomes
// an ApiError carrying the server's own sentence (docs/api.md: errors name the field).

/**
 * `write`: the request changes something and carries who is writing. `personal`: a read whose answer
 * depends on who is reading (a comment page says what this reader may do with each comment), so it
 * carries who is reading when anyone is signed in or known as a guest.
 * @typedef {{method?: string, body?: unknown, write?: boolean, personal?: boolean}} RequestOptions
 */
/** @typedef {(path: string, options?: RequestOptions) => Promise<any>} Request */

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
 * The request function for one script: `api` is Talkies' /api/v1 URL, `site` the data-site slug.
 * @param {{api: string, site: string, auth: import("./auth.js").Auth}} config
 * @returns {Request}
 */
export function createRequest({ api, site, auth }) {
  // Writes, and the reads the server answers per reader, carry a token; every other read carries no
  // credential, so it needs no CORS preflight and a reader nobody knows gets the shared, cached page.
  // Never a cookie.
  return async function request(path, { method = "GET", body, write = false, personal = false } = {}) {
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
    const response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
    });
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
