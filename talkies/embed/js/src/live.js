// @ts-check
// Live updates: new comments wait behind a button, so nothing moves under the reader's eyes; edits, votes
// and removals by others are drawn in place. The stream is the thread's Server-Sent Events (docs/live-updates.md).

import { articleOf } from "./dom.js";
import { liveUrl } from "./paths.js";
import { withoutViewerFields } from "./permissions.js";
import { reopenDelay, resumingUrl } from "./reopen.js";
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
  if (!window.EventSource || ctx.state.source) {
    return;
  }
  open(ctx, reload, 0, "");
}

/**
 * @param {Context} ctx
 * @param {() => void} reload
 * @param {number} refusals how many times in a row the stream was refused
 * @param {string} lastEventId the last event this panel saw, to resume after
 */
function open(ctx, reload, refusals, lastEventId) {
  const { t, state, announce } = ctx;
  // EventSource reconnects with Last-Event-ID after a dropped connection, and the server replays what was
  // missed; a refusal (429, 503) closes it for good, so it is opened again after a growing wait.
  const source = new EventSource(resumingUrl(liveUrl(ctx.origin, state.thread.id, ctx.site), lastEventId));
  state.source = source;
  source.addEventListener("open", () => {
    refusals = 0;
  });
  source.addEventListener("error", () => {
    if (source.readyState !== EventSource.CLOSED || state.source !== source) {
      return;
    }
    window.setTimeout(() => {
      if (state.source === source) {
        open(ctx, reload, refusals + 1, lastEventId);
      }
    }, reopenDelay(refusals));
  });
  /**
   * @param {string} kind
   * @param {(data: any) => void} handle
   */
  const on = (kind, handle) =>
    source.addEventListener(kind, (event) => {
      lastEventId = /** @type {MessageEvent} */ (event).lastEventId || lastEventId;
      handle(JSON.parse(/** @type {MessageEvent} */ (event).data));
    });
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
