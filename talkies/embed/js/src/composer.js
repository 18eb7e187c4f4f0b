// @ts-check
// Writing: one composer serves new comments, replies and edits.

import { ApiError, messageOf } from "./api.js";
import { ensureWriter } from "./auth.js";
import { button, el } from "./dom.js";

/** @typedef {import("./types.js").Comment} Comment */

/**
 * A form for a new comment, a reply to `parent`, or an edit of `editing`. `onDone` gets the saved comment,
 * or null when a reply or an edit is cancelled (only those can be; the thread's own composer stays).
 * @param {import("./types.js").Context} ctx
 * @param {{parent?: Comment | null, editing?: Comment | null, onDone: (saved: Comment | null) => void}} options
 * @returns {import("./types.js").Drawable}
 */
export function composer(ctx, { parent = null, editing = null, onDone }) {
  const { t, state, auth, request } = ctx;
  const form = /** @type {HTMLFormElement & {draw: () => void}} */ (el("form", "composer"));
  const label = editing ? t("editComment") : parent ? t("yourReply", { name: parent.author_name || t("guest") }) : t("yourComment");
  const uid = "c" + Math.random().toString(36).slice(2, 8);
  const body = el("textarea", { id: uid + "-body", name: "body", required: true, rows: parent || editing ? 3 : 4, "aria-describedby": uid + "-hint" });
  body.value = editing ? editing.source || "" : "";
  const nameInput = el("input", { id: uid + "-name", name: "guest_name", autocomplete: "nickname", maxLength: 80, value: auth.guest.name || "" });
  const nameField = el("p", "field", el("label", { for: nameInput.id }, t("name")), nameInput);
  const spoiler = el("input", { type: "checkbox", id: uid + "-spoiler", checked: editing ? editing.is_spoiler : false });
  const error = el("p", { className: "error", role: "alert" });
  const submit = el("button", { type: "submit", className: "button" }, t(editing ? "save" : parent ? "postReply" : "post"));
  const actions = el("p", "actions", submit);
  if (parent || editing) {
    actions.append(" ", button(t("cancel"), () => onDone(null)));
  }
  form.append(
    el("p", "field", el("label", { for: body.id }, label), body, el("span", { className: "muted small hint", id: uid + "-hint" }, t("spoilerHelp"))),
    nameField,
    el("p", "", spoiler, " ", el("label", { for: spoiler.id }, t("wholeSpoiler"))),
    error,
    actions,
  );
  form.draw = () => {
    nameField.hidden = Boolean(auth.reader || editing || state.thread.allow_guests === false);
    nameInput.required = !nameField.hidden;
  };
  form.draw();
  form.onsubmit = async (event) => {
    event.preventDefault();
    error.textContent = "";
    form.querySelectorAll("[aria-invalid]").forEach((field) => field.removeAttribute("aria-invalid"));
    submit.disabled = true;
    try {
      /** @type {Record<string, unknown>} */
      const payload = { body: body.value, is_spoiler: spoiler.checked };
      /** @type {Comment} */
      let saved;
      if (editing) {
        saved = await request(`/comments/${editing.id}`, { method: "PATCH", body: payload, write: true });
      } else {
        payload.parent_id = parent ? parent.id : null;
        await ensureWriter(ctx);
        if (!auth.reader) {
          auth.saveGuest({ name: nameInput.value });
          Object.assign(payload, { guest_name: nameInput.value, guest_token: auth.guest.token });
        }
        saved = await request(`/threads/${state.thread.id}/comments`, { method: "POST", body: payload, write: true });
        auth.remember(saved.id);
      }
      saved.source = body.value; // the API never returns markdown: keep it for an edit
      body.value = "";
      onDone(saved);
    } catch (failure) {
      error.textContent = messageOf(failure, t);
      const field = failure instanceof ApiError && failure.field === "guest_name" ? nameInput : body;
      field.setAttribute("aria-invalid", "true");
      field.focus();
    } finally {
      submit.disabled = false;
    }
  };
  return form;
}
