// @ts-check
// What this reader may do with a comment. The server says so on every comment (can_edit, can_remove,
// can_report, editable_until); the client should never have to guess. Until every Talkies the embed talks
// to sends those fields, a comment without them falls back to the old guess: written here (or under the
// signed-in reader's name), and edited within the server's default window.

/** @typedef {import("./types.js").Comment} Comment */

// The server's default edit window, for comments that do not carry editable_until; it explains a refused
// late edit rather than offering one.
export const EDIT_WINDOW_MS = 15 * 60 * 1000;

/** The fields that describe what one viewer may do, as opposed to what the comment is. */
const VIEWER_FIELDS = /** @type {const} */ (["can_edit", "can_remove", "can_report", "editable_until"]);

/**
 * @param {Comment} comment
 * @param {boolean} mine the old guess that this reader wrote it (auth.js isMine)
 * @param {number} [now] milliseconds since the epoch
 * @returns {{edit: boolean, remove: boolean, report: boolean}}
 */
export function permissions(comment, mine, now = Date.now()) {
  // editable_until null means the server sets no deadline; absent, the old window from created_at.
  const deadline =
    comment.editable_until !== undefined
      ? comment.editable_until === null
        ? Infinity
        : Date.parse(comment.editable_until)
      : Date.parse(comment.created_at) + EDIT_WINDOW_MS;
  return {
    edit: (comment.can_edit ?? mine) && now < deadline,
    remove: comment.can_remove ?? mine,
    report: comment.can_report ?? false,
  };
}

/**
 * A comment from the live stream, without the viewer's permissions. The stream is broadcast to every
 * reader alike, so whatever it says about permissions is not about this reader; merged over a comment the
 * API gave this reader, it would take away their own Edit button.
 * @param {Comment} comment
 * @returns {Comment}
 */
export function withoutViewerFields(comment) {
  const copy = { ...comment };
  for (const field of VIEWER_FIELDS) {
    delete copy[field];
  }
  return copy;
}
