// @ts-check
// Live updates: new comments wait behind a button, so nothing moves under the reader's eyes; edits, votes
// and removals by others are drawn in place. The stream is the thread's Server-Sent Events (docs/live-updates.md).

import { articleOf } from "./dom.js";
import { liveUrl } from "./paths.js";
import { withoutViewerFields } from "./permissions.js";
import { applyEdit, applyVotes, insert, removeComment, updateLiveBar } from "./thread.js";
import { shouldWait } from "./tree.js";

/** @typedef {import("./types.js").Context} Context */
/** @typedef {import("./types.js").Comment} Comment */

/**
 * Shows every comment waiting behind the button, and moves focus onto the first.
 * @param {Context} ctx
 */
export function showPending(ctx) {
  const { t, state, announce } = ctx;
  const comments = state.pending.splice(0);
  const items = comments.map((comment) => insert(ctx, comment, false)).filter(Boolean);
  updateLiveBar(ctx);
  announce(t("shown", { n: items.length }));
  if (items[0]) {
    articleOf(items[0]).focus();
  }
}

/**
 * Opens the thread's stream, once per panel; `reload` starts the panel again from the top.
 * @param {Context} ctx
 * @param {() => void} reload
 */
export function listen(ctx, reload) {
  const { t, state, announce } = ctx;
  if (!window.EventSource || state.source) {
    return;
  }
  // EventSource reconnects with Last-Event-ID, and the server replays what was missed.
  const source = new EventSource(liveUrl(ctx.origin, state.thread.id, ctx.site));
  state.source = source;
  /**
   * @param {string} kind
   * @param {(data: any) => void} handle
   */
  const on = (kind, handle) => source.addEventListener(kind, (event) => handle(JSON.parse(/** @type {MessageEvent} */ (event).data)));
  // The stream goes to every reader alike: what it might say about permissions is not about this one.
  const arrived = (/** @type {{comment: Comment}} */ { comment }) => {
    if (shouldWait(state.nodes, state.pending, comment)) {
      state.pending.push(withoutViewerFields(comment));
      updateLiveBar(ctx);
      announce(t("newComments", { n: state.pending.length }));
    }
  };
  on("comment.created", arrived);
  on("comment.approved", arrived); // a moderator published a held comment
  on("comment.rejected", (data) => removeComment(ctx, data.id, data.has_replies));
  on("comment.edited", (/** @type {{comment: Comment}} */ { comment }) => applyEdit(ctx, withoutViewerFields(comment)));
  on("comment.removed", (data) => removeComment(ctx, data.id, data.has_replies));
  on("comment.voted", (data) => applyVotes(ctx, data.id, data));
  on("reload", () => {
    // The page fell further behind than the server's event log reaches: start again from the top.
    source.close();
    state.source = null;
    reload();
  });
}
