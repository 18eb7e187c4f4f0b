// @ts-check
// The reader's side of moderation: reporting someone else's comment to the site's moderators, and the
// notice on a comment of the reader's own that a moderator holds or rejected (only its author sees it).

import { ApiError, messageOf } from "./api.js";
import { ensureWriter } from "./auth.js";
import { button, el } from "./dom.js";

/** @typedef {import("./types.js").Context} Context */
/** @typedef {import("./types.js").Comment} Comment */
/** @typedef {import("./i18n/index.js").Translator} Translator */

/** The reasons the server takes (talkies.moderation Report.Reason), each with the key of its label. */
export const REASONS = /** @type {const} */ ([
  ["spam", "reasonSpam"],
  ["abuse", "reasonAbuse"],
  ["spoiler", "reasonSpoiler"],
  ["off_topic", "reasonOffTopic"],
  ["other", "reasonOther"],
]);

/**
 * Whether `comment` is one of the reader's own that others do not see: held for a moderator ("pending")
 * or rejected. Null for a published comment, and for someone else's rejected comment, which the server
 * shows as an authorless placeholder only to hold up its replies.
 * @param {Comment} comment
 * @returns {"pending" | "rejected" | null}
 */
export function heldAs(comment) {
  if (comment.status === "pending") {
    return "pending";
  }
  return comment.status === "rejected" && comment.author_name !== null ? "rejected" : null;
}

/**
 * The block on the reader's own held or rejected comment saying so, and why (the server's words).
 * @param {Comment} comment
 * @param {Translator} t
 * @returns {HTMLElement | null}
 */
export function moderationNotice(comment, t) {
  const held = heldAs(comment);
  if (!held) {
    return null;
  }
  return el("p", { className: "held " + held, role: "status" },
    el("strong", "", t(held === "pending" ? "waiting" : "rejected")), comment.moderation_notice || "");
}

/**
 * What the reader is told once the server took their comment: posted, or why it is not shown yet.
 * @param {Comment} comment the server's answer
 * @param {Translator} t
 * @returns {string}
 */
export function postedMessage(comment, t) {
  const held = heldAs(comment);
  return held ? comment.moderation_notice || t(held === "pending" ? "waiting" : "rejected") : t("posted");
}

/**
 * @param {Translator} t
 * @returns {HTMLElement}
 */
function reportedNote(t) {
  return el("span", { className: "muted reported", tabIndex: -1 }, t("reported"));
}

/**
 * The Report button of a comment the server lets this reader report, opening its form after `footer`;
 * "Reported — thank you" instead once they have reported it from this browser.
 * @param {Context} ctx
 * @param {Comment} comment
 * @param {HTMLElement} footer the comment's action row
 * @returns {HTMLElement}
 */
export function reportControl(ctx, comment, footer) {
  const { t, auth, announce } = ctx;
  if (auth.reported.has(comment.id)) {
    return reportedNote(t);
  }
  /** @type {HTMLFormElement | null} */
  let form = null;
  /** @param {boolean} reported */
  const close = (reported) => {
    form?.remove();
    form = null;
    toggle.setAttribute("aria-expanded", "false");
    if (reported || auth.reported.has(comment.id)) {
      const note = reportedNote(t);
      toggle.replaceWith(note);
      note.focus(); // where the button was, so keyboard users carry on from there
    } else {
      toggle.focus();
    }
  };
  const toggle = button(t("report"), () => {
    if (form) {
      close(false);
      return;
    }
    form = reportForm(ctx, comment, (reported) => {
      if (reported) {
        auth.rememberReport(comment.id);
        announce(t("reported"));
      }
      close(reported);
    });
    footer.after(form);
    toggle.setAttribute("aria-expanded", "true");
    /** @type {HTMLInputElement} */ (form.querySelector("input")).focus();
  });
  toggle.setAttribute("aria-expanded", "false");
  return toggle;
}

/**
 * The report form: a reason (text required for "Something else"), Send and Cancel. `done(true)` once
 * the server took the report, `done(false)` on Cancel; a refusal stays on the form in the server's words.
 * @param {Context} ctx
 * @param {Comment} comment
 * @param {(reported: boolean) => void} done
 * @returns {HTMLFormElement}
 */
function reportForm(ctx, comment, done) {
  const { t, auth, request } = ctx;
  const uid = "r" + comment.id;
  const details = el("input", { id: uid + "-text", name: "text", maxLength: 500 });
  const reasons = el("fieldset", "", el("legend", "", t("reportWhy")));
  for (const [value, key] of REASONS) {
    const radio = el("input", { type: "radio", name: "reason", id: uid + "-" + value, value, required: true });
    // Only the radio just chosen hears "change": choosing any reason sets whether the text is needed.
    radio.onchange = () => (details.required = value === "other");
    reasons.append(el("p", "", radio, " ", el("label", { for: radio.id }, t(key))));
  }
  const error = el("p", { className: "error", role: "alert" });
  const submit = el("button", { type: "submit", className: "button" }, t("sendReport"));
  const form = el("form", { className: "report", "aria-label": t("report") },
    reasons,
    el("p", "field", el("label", { for: details.id }, t("reportDetails")), details),
    error,
    el("p", "actions", submit, " ", button(t("cancel"), () => done(false))));
  form.onsubmit = async (event) => {
    event.preventDefault();
    error.textContent = "";
    submit.disabled = true;
    const reason = /** @type {HTMLInputElement} */ (form.querySelector("input[name=reason]:checked")).value;
    try {
      await ensureWriter(ctx);
      await request(`/comments/${comment.id}/report`, { method: "POST", body: { reason, text: details.value }, write: true });
      done(true);
    } catch (failure) {
      const refused = failure instanceof ApiError ? failure : null;
      if (refused && refused.status === 400 && refused.field === "comment") {
        auth.rememberReport(comment.id); // reported before (another tab, another day): Cancel leaves "Reported"
      }
      error.textContent = refused && refused.status === 429 && refused.retryAfter
        ? t("reportTooFast", { n: refused.retryAfter })
        : messageOf(failure, t);
      submit.disabled = false;
    }
  };
  return form;
}
