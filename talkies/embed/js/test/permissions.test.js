// What a reader may do with a comment: the server's word when it gives one, else the old guess.
import assert from "node:assert/strict";
import test from "node:test";

import { EDIT_WINDOW_MS, permissions, withoutViewerFields } from "../src/permissions.js";

const created = Date.parse("2025-06-01T12:00:00Z");
const comment = (fields = {}) => ({ id: 1, created_at: new Date(created).toISOString(), ...fields });

test("without the server's fields, the writer may edit within the window and remove at any time", () => {
  assert.deepEqual(permissions(comment(), true, created + EDIT_WINDOW_MS - 1), { edit: true, remove: true, report: false });
  assert.deepEqual(permissions(comment(), true, created + EDIT_WINDOW_MS), { edit: false, remove: true, report: false });
  assert.equal(EDIT_WINDOW_MS, 15 * 60 * 1000, "the server's default window");
});

test("without the server's fields, someone else's comment offers neither edit nor remove", () => {
  assert.deepEqual(permissions(comment(), false, created + 1000), { edit: false, remove: false, report: false });
});

test("the server's can_edit and can_remove win over the guess, both ways", () => {
  const theirs = comment({ can_edit: true, can_remove: true, can_report: true, editable_until: null });
  assert.deepEqual(permissions(theirs, false, created + 10 * EDIT_WINDOW_MS), { edit: true, remove: true, report: true });
  const refused = comment({ can_edit: false, can_remove: false, can_report: false });
  assert.deepEqual(permissions(refused, true, created + 1000), { edit: false, remove: false, report: false });
});

test("editable_until sets the edit deadline when the server gives one", () => {
  const until = new Date(created + 60_000).toISOString();
  const c = comment({ can_edit: true, editable_until: until });
  assert.equal(permissions(c, false, created + 59_999).edit, true);
  assert.equal(permissions(c, false, created + 60_000).edit, false);
});

test("a live comment loses the viewer's fields, and the original keeps them", () => {
  const live = { id: 4, body_html: "<p>x</p>", can_edit: false, can_remove: false, can_report: true, editable_until: null };
  const stripped = withoutViewerFields(live);
  assert.deepEqual(stripped, { id: 4, body_html: "<p>x</p>" });
  assert.equal(live.can_edit, false);
});
