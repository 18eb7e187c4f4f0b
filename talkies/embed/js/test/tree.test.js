// The thread as a tree: where new comments go, what a removal leaves, which live comments wait.
import assert from "node:assert/strict";
import test from "node:test";

import { placeOf, removeFromTree, shouldWait, withoutPending } from "../src/tree.js";

/** A comment with only what the tree looks at. */
const comment = (id, parent_id = null, status = "approved") => ({ id, parent_id, status });
const nodesOf = (...comments) => new Map(comments.map((c) => [c.id, { comment: c, item: "item-" + c.id }]));

test("a top-level comment goes first in the thread", () => {
  assert.deepEqual(placeOf(nodesOf(comment(1)), comment(2)), { parent: null });
  assert.deepEqual(placeOf(new Map(), comment(2, undefined)), { parent: null });
});

test("a reply goes under its parent when the parent is on the page", () => {
  const nodes = nodesOf(comment(1), comment(2, 1));
  assert.equal(placeOf(nodes, comment(3, 2)).parent, nodes.get(2));
});

test("a reply whose parent is not on the page is left to 'more replies'", () => {
  assert.equal(placeOf(nodesOf(comment(1)), comment(3, 99)), null);
});

test("a comment already on the page is not placed twice", () => {
  assert.equal(placeOf(nodesOf(comment(1), comment(2, 1)), comment(2, 1)), null);
  assert.equal(placeOf(nodesOf(comment(1)), comment(1)), null);
});

test("a removed comment with replies stays, marked removed, so its replies keep their place", () => {
  const nodes = nodesOf(comment(1), comment(2, 1));
  const removal = removeFromTree(nodes, 1, true);
  assert.equal(removal.kind, "tombstone");
  assert.equal(removal.node, nodes.get(1));
  assert.equal(nodes.get(1).comment.status, "removed");
  assert.deepEqual([...nodes.keys()], [1, 2]);
});

test("a removed comment without replies leaves the tree, and only it", () => {
  const nodes = nodesOf(comment(1), comment(2), comment(3, 1));
  const removal = removeFromTree(nodes, 2, false);
  assert.equal(removal.kind, "drop");
  assert.equal(removal.node.item, "item-2");
  assert.equal(removal.node.comment.status, "approved", "a dropped comment is not redrawn, so not re-marked");
  assert.deepEqual([...nodes.keys()], [1, 3]);
});

test("removing a comment that is not on the page changes nothing", () => {
  const nodes = nodesOf(comment(1));
  assert.equal(removeFromTree(nodes, 7, false), null);
  assert.equal(removeFromTree(nodes, 7, true), null);
  assert.deepEqual([...nodes.keys()], [1]);
});

test("a live comment waits unless it is already shown or already waiting", () => {
  const nodes = nodesOf(comment(1));
  const pending = [comment(2)];
  assert.equal(shouldWait(nodes, pending, comment(3)), true);
  assert.equal(shouldWait(nodes, pending, comment(1)), false, "this reader posted it: it is on the page");
  assert.equal(shouldWait(nodes, pending, comment(2)), false, "the stream replayed it");
});

test("showing a waiting comment takes it, and only it, off the waiting list", () => {
  const pending = [comment(2), comment(3), comment(4)];
  assert.deepEqual(withoutPending(pending, 3).map((c) => c.id), [2, 4]);
  assert.equal(pending.length, 3, "the list given is not changed");
  assert.deepEqual(withoutPending(pending, 9).map((c) => c.id), [2, 3, 4]);
});
