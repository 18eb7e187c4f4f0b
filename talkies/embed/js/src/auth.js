// @ts-check
// Who is writing: a signed-in reader, a guest, or nobody yet.
//
// Third-party cookies are blocked, so the embed never relies on the Talkies session: a reader is known by
// the short-lived token the first-party sign-in popup (or the host's SSO) hands over, a guest by a token in
// this page's storage (docs/embedding-api.md, sections 5 and 6).

import { ApiError, POPUP_BLOCKED } from "./api.js";

/** @typedef {{token: string, name: string, expires: number}} Reader */
/** @typedef {{token?: string, name?: string}} Guest */
/**
 * @typedef {object} Auth
 * @property {Reader | null} reader
 * @property {Guest} guest
 * @property {Set<number>} mine ids of comments written in this browser
 * @property {Set<number>} reported ids of comments reported from this browser, this session
 * @property {Set<() => void>} listeners called when the reader signs in or out
 * @property {(reader: Reader | null) => void} setReader
 * @property {(commentId: number) => void} remember
 * @property {(commentId: number) => void} rememberReport
 * @property {(changes: Guest) => void} saveGuest
 */
/** @typedef {{token: string, expires_in: number, user?: {username?: string, name?: string}}} SignedIn */
/** @typedef {"sessionStorage" | "localStorage"} StorageKind */

/**
 * Storage may be disabled (even naming it can throw): the panel then just remembers less.
 * @param {StorageKind} kind
 * @param {string} key
 * @returns {any}
 */
function readStore(kind, key) {
  try {
    return JSON.parse(window[kind].getItem(key) || "null");
  } catch {
    return null;
  }
}

/**
 * @param {StorageKind} kind
 * @param {string} key
 * @param {unknown} value
 */
function writeStore(kind, key, value) {
  try {
    window[kind].setItem(key, JSON.stringify(value));
  } catch {}
}

/**
 * @param {Reader | null} reader
 * @returns {Reader | null}
 */
function unexpired(reader) {
  return reader && reader.expires > Date.now() ? reader : null;
}

/**
 * The identities remembered for Talkies at `origin`, shared by every panel on the page.
 * @param {string} origin
 * @returns {Auth}
 */
export function createAuth(origin) {
  const READER_KEY = "talkies:reader:" + origin; // sessionStorage
  const GUEST_KEY = "talkies:guest:" + origin; // localStorage, so a guest can still edit tomorrow
  // localStorage: ids of comments written here, the guess of what is "mine" for servers that do not
  // yet say can_edit / can_remove on each comment.
  const MINE_KEY = "talkies:mine:" + origin;
  // sessionStorage: ids of comments reported here, so "Reported" survives a reload. The server does not
  // yet say "you reported this" on a comment (it keeps offering can_report); when it does, that wins.
  const REPORTED_KEY = "talkies:reported:" + origin;
  return {
    reader: unexpired(readStore("sessionStorage", READER_KEY)),
    guest: readStore("localStorage", GUEST_KEY) || {},
    mine: new Set(readStore("localStorage", MINE_KEY) || []),
    reported: new Set(readStore("sessionStorage", REPORTED_KEY) || []),
    listeners: new Set(),
    setReader(reader) {
      this.reader = reader;
      writeStore("sessionStorage", READER_KEY, reader);
      this.listeners.forEach((listener) => listener());
    },
    remember(commentId) {
      this.mine.add(commentId);
      writeStore("localStorage", MINE_KEY, [...this.mine].slice(-200));
    },
    rememberReport(commentId) {
      this.reported.add(commentId);
      writeStore("sessionStorage", REPORTED_KEY, [...this.reported].slice(-200));
    },
    saveGuest(changes) {
      Object.assign(this.guest, changes);
      writeStore("localStorage", GUEST_KEY, this.guest);
    },
  };
}

/**
 * @param {Auth} auth
 * @param {SignedIn} answer
 */
function signedIn(auth, answer) {
  const user = answer.user || {};
  auth.setReader({ token: answer.token, name: user.name || user.username || "", expires: Date.now() + answer.expires_in * 1000 });
}

/**
 * The popup is first-party, so its cookies work; it posts back a short-lived token. Only our origin counts.
 * @param {string} origin Talkies' origin
 * @param {string} site
 * @param {Auth} auth
 * @returns {Promise<void>}
 */
export function signIn(origin, site, auth) {
  const url = new URL("/embed/login/", origin);
  url.search = String(new URLSearchParams({ site, origin: location.origin }));
  const popup = window.open(url.href, "talkies-login", "popup,width=480,height=640");
  if (!popup) {
    return Promise.reject(new ApiError(0, POPUP_BLOCKED));
  }
  return new Promise((resolve) => {
    /** @param {MessageEvent} event */
    function onMessage(event) {
      if (event.origin !== origin || !event.data || event.data.type !== "talkies:login" || !event.data.token) {
        return;
      }
      window.removeEventListener("message", onMessage);
      signedIn(auth, event.data);
      resolve();
    }
    window.addEventListener("message", onMessage);
  });
}

/**
 * A site with its own accounts signs its reader on its server (data-sso): no popup needed.
 * @param {import("./api.js").Request} request
 * @param {Auth} auth
 * @param {string | undefined} sso
 */
export function signInWithSso(request, auth, sso) {
  if (sso && !auth.reader) {
    request("/embed/sso", { method: "POST", body: { sso } }).then((answer) => signedIn(auth, answer), () => {});
  }
}

/**
 * Writing needs an identity: a signed-in account, else a guest token where the site takes guests.
 * @param {import("./types.js").Context} ctx
 */
export async function ensureWriter({ auth, request, state, signIn }) {
  if (auth.reader || auth.guest.token) {
    return;
  }
  if (state.thread.allow_guests !== false) {
    try {
      const { guest_token: token } = await request("/guest-token", { method: "POST" });
      auth.saveGuest({ token });
      return;
    } catch (error) {
      if (!(error instanceof ApiError) || error.field !== "guest_token") {
        throw error;
      }
      state.thread.allow_guests = false; // this site wants accounts: the popup it is
    }
  }
  await signIn();
}

/**
 * The old guess at "written by this reader", for servers that do not say can_edit / can_remove: written
 * in this browser, or signed in under the author's name.
 * @param {Auth} auth
 * @param {import("./types.js").Comment} comment
 * @returns {boolean}
 */
export function isMine(auth, comment) {
  return auth.mine.has(comment.id) || Boolean(auth.reader && auth.reader.name && auth.reader.name === comment.author_name);
}
