// @ts-check
// Writing: one composer serves new comments, replies and edits.

import { ApiError, actionKeys, messageOf } from "./api.js";
import { ensureWriter } from "./auth.js";
import { button, el } from "./dom.js";

/** @typedef {import("./types.js").Comment} Comment */

/**
 * Whether to ask the server if `text` gives the film away before posting it: not when the reader tagged it
 * a spoiler or hid part of it (`>!…!<`), not again for the text they were already asked about (`asked`),
 * and not in a thread with no film (the server would say no).
 * @param {string} text
 * @param {{tagged: boolean, asked: string, film: unknown}} facts
 * @returns {boolean}
 */
export function asksAboutSpoilers(text, { tagged, asked, film }) {
  return !tagged && asked !== text && !/>!.+?!</.test(text) && film !== null;
}

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
  // Before a new comment or reply goes out, the server is asked once per text whether it gives the film
  // away; if so the reader chooses, in `notice`, to tag it or post it as it is. `asked` is the text last
  // answered for (or chosen about), so pressing Post again, or a choice, posts without asking again.
  let asked = "";
  // The same text posted again (after a failure that left the reader unsure) is the same action.
  const keys = actionKeys();
  const notice = el("div", { className: "notice", role: "status", tabIndex: -1 });
  /** @param {boolean} mark */
  const choose = (mark) => {
    asked = body.value;
    spoiler.checked = spoiler.checked || mark;
    submit.click();
  };
  form.onsubmit = async (event) => {
    event.preventDefault();
    notice.remove();
    error.textContent = "";
    form.querySelectorAll("[aria-invalid]").forEach((field) => field.removeAttribute("aria-invalid"));
    submit.disabled = true;
    const text = body.value;
    try {
      /** @type {Comment} */
      let saved;
      if (editing) {
        const change = { body: text, is_spoiler: spoiler.checked };
        saved = await request(`/comments/${editing.id}`, { method: "PATCH", body: change, write: true, key: keys.keyFor(JSON.stringify(change)) });
      } else {
        // The identity comes first: a sign-in popup must open while the click still counts as the reader's.
        await ensureWriter(ctx);
        /** @type {Record<string, unknown>} */
        const guest = {};
        if (!auth.reader) {
          auth.saveGuest({ name: nameInput.value });
          Object.assign(guest, { guest_name: nameInput.value, guest_token: auth.guest.token });
        }
        if (asksAboutSpoilers(text, { tagged: spoiler.checked, asked, film: state.thread.film })) {
          // Any failure (offline, refused, too many checks, slower than 3 s) just posts: never a reason not to.
          const answer = await Promise.race([
            request(`/threads/${state.thread.id}/spoiler-check`, { method: "POST", body: { body: text }, write: true }),
            new Promise((_, reject) => setTimeout(reject, 3000)),
          ]).catch(() => null);
          asked = answer ? text : asked;
          if (answer && answer.suggest_spoiler) {
            const reasons = (answer.reasons || []).join("; ");
            notice.replaceChildren(
              el("p", "", t(reasons ? "spoilerSuggest" : "spoilerSuggestPlain", { reasons })),
              el("p", "", button(t("markSpoilerPost"), () => choose(true), "button"), " ", button(t("postAsIs"), () => choose(false))),
            );
            actions.before(notice);
            notice.focus();
            return;
          }
        }
        const comment = { body: text, is_spoiler: spoiler.checked, parent_id: parent ? parent.id : null, ...guest };
        saved = await request(`/threads/${state.thread.id}/comments`, {
          method: "POST",
          body: comment,
          write: true,
          key: keys.keyFor(JSON.stringify(comment)),
        });
        auth.remember(saved.id);
      }
      keys.done();
      saved.source = text; // the API never returns markdown: keep it for an edit
      // The thread's own composer stays for the next comment, which is not a spoiler until it says so.
      body.value = "";
      spoiler.checked = false;
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
