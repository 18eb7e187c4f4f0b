// @ts-check
// The thread as a tree of comments on the page, apart from how it is drawn: where a new comment goes,
// what a removal leaves behind, and which live comments wait to be shown. Pure functions over the map of
// comments on the page (id → node), so they can be tested without a browser; thread.js draws the result.

/** @typedef {import("./types.js").Comment} Comment */
/**
 * @template {{comment: Comment}} N
 * @typedef {{parent: N | null}} Place where a comment goes: under `parent`, or (null) first in the thread
 */

/**
 * Where a comment goes: a top-level comment first in the thread, a reply under its parent when that is on
 * the page. Null when it is already shown, or when its parent is not ("more replies" will show it).
 * @template {{comment: Comment}} N
 * @param {Map<number, N>} nodes the comments on the page
 * @param {Comment} comment
 * @returns {Place<N> | null}
 */
export function placeOf(nodes, comment) {
  if (nodes.has(comment.id)) {
    return null;
  }
  if (!comment.parent_id) {
    return { parent: null };
  }
  const parent = nodes.get(comment.parent_id);
  return parent ? { parent } : null;
}

/**
 * Takes a removed comment out of the tree. One with replies stays, marked removed, so its replies keep
 * their place ("tombstone"); one without goes ("drop"). Null when the comment is not on the page.
 * @template {{comment: Comment}} N
 * @param {Map<number, N>} nodes
 * @param {number} id
 * @param {boolean} hasReplies
 * @returns {{kind: "tombstone" | "drop", node: N} | null}
 */
export function removeFromTree(nodes, id, hasReplies) {
  const node = nodes.get(id);
  if (!node) {
    return null;
  }
  if (hasReplies) {
    node.comment.status = "removed";
    return { kind: "tombstone", node };
  }
  nodes.delete(id);
  return { kind: "drop", node };
}

/**
 * Whether a comment from the live stream should wait behind the "new comments" button: not when it is
 * already on the page (this reader posted it) or already waiting (the stream replayed it).
 * @param {Map<number, unknown>} nodes
 * @param {Comment[]} pending
 * @param {Comment} comment
 * @returns {boolean}
 */
export function shouldWait(nodes, pending, comment) {
  return !nodes.has(comment.id) && !pending.some((waiting) => waiting.id === comment.id);
}

/**
 * The waiting comments without the one just shown.
 * @param {Comment[]} pending
 * @param {number} id
 * @returns {Comment[]}
 */
export function withoutPending(pending, id) {
  return pending.filter((waiting) => waiting.id !== id);
}
