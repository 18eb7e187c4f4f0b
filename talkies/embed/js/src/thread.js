// @ts-check
// The conversation: comments drawn as nested lists, their actions (vote, reply, edit, remove), and the
// tree kept in step with what the server and the live stream say (the decisions are in tree.js).

import { messageOf } from "./api.js";
import { ensureWriter, isMine } from "./auth.js";
import { composer } from "./composer.js";
import { articleOf, button, el } from "./dom.js";
import { heldAs, moderationNotice, postedMessage, reportControl } from "./moderation.js";
import { commentsPath, repliesPath, SORTS } from "./paths.js";
import { permissions } from "./permissions.js";
import { scoreLabel } from "./scores.js";
import { placeOf, removeFromTree, withoutPending } from "./tree.js";

/** @typedef {import("./types.js").Context} Context */
/** @typedef {import("./types.js").Comment} Comment */
/** @typedef {import("./types.js").CommentsPage} CommentsPage */
/** @typedef {import("./i18n/index.js").Translator} Translator */

// --- Spoilers

/**
 * <span class="spoiler" data-spoiler>: its text goes behind `hidden` (for eyes and screen readers alike)
 * with a button that reveals it and moves focus onto it.
 * @param {ParentNode} root
 * @param {Translator} t
 */
function armInlineSpoilers(root, t) {
  for (const spoiler of root.querySelectorAll("span.spoiler[data-spoiler]")) {
    const text = el("span", { className: "spoiler-text", hidden: true, tabIndex: -1 });
    text.append(...spoiler.childNodes);
    const toggle = el("button", { type: "button", className: "spoiler-toggle", "aria-expanded": "false" }, t("showSpoiler"));
    toggle.onclick = () => {
      const reveal = text.hidden;
      text.hidden = !reveal;
      toggle.setAttribute("aria-expanded", String(reveal));
      toggle.textContent = t(reveal ? "hideSpoiler" : "showSpoiler");
      if (reveal) {
        text.focus();
      }
    };
    spoiler.append(toggle, text);
  }
}

/**
 * @param {Comment} comment
 * @param {Translator} t
 * @returns {HTMLElement}
 */
function commentBody(comment, t) {
  const body = el("div", { className: "body", tabIndex: -1 });
  // A <template> parses without running or fetching anything, and spoilers are armed before it shows.
  const template = document.createElement("template");
  template.innerHTML = comment.body_html; // sanitised by nh3 on the server
  armInlineSpoilers(template.content, t);
  body.append(template.content);
  if (!comment.is_spoiler) {
    return body;
  }
  const details = el("details", "spoiler-comment", el("summary", "", t("spoilerComment")), body);
  details.addEventListener("toggle", () => details.open && body.focus());
  return details;
}

// --- Comments

/**
 * A comment's list item, with the replies that came with it; each is registered in state.nodes.
 * @param {Context} ctx
 * @param {Comment} comment
 * @returns {HTMLLIElement}
 */
export function commentNode(ctx, comment) {
  const item = el("li", { className: "comment", "data-id": comment.id });
  const article = el("article", { tabIndex: -1, "aria-labelledby": "a" + comment.id });
  item.append(article);
  ctx.state.nodes.set(comment.id, { item, comment });
  fillArticle(ctx, item, comment);
  const replies = el("ol", "replies");
  item.append(replies);
  for (const reply of comment.replies || []) {
    replies.append(commentNode(ctx, reply));
  }
  if (comment.more_replies) {
    item.append(moreRepliesButton(ctx, comment, replies, comment.more_replies_cursor || "", ctx.t("moreReplies", { n: comment.more_replies })));
  }
  return item;
}

/**
 * @param {Context} ctx
 * @param {HTMLElement} item
 * @param {Comment} comment
 */
function fillArticle(ctx, item, comment) {
  const { t, state } = ctx;
  const article = articleOf(item);
  const removed = comment.status === "removed" || comment.author_name === null;
  const header = el("header", "",
    el("strong", { id: "a" + comment.id, className: removed ? "muted" : "" }, removed ? t("removedAuthor") : comment.author_name || t("guest")));
  if (comment.author_rating && !removed) {
    const scale = state.scores ? state.scores.audience.display.scale : 10;
    const value = scoreLabel(t, (comment.author_rating * scale) / 10, scale);
    header.append(" ", el("span", "badge", t("ratedIt", { value })));
  }
  header.append(" ", el("time", { className: "muted", dateTime: comment.created_at, title: new Date(comment.created_at).toLocaleString(t.lang) }, t.ago(comment.created_at)));
  if (comment.edited_at) {
    header.append(" ", el("span", "muted", t("edited")));
  }
  // Someone else's rejected comment stays, without author or words, only while replies hang from it.
  const removedBy = comment.status === "rejected" ? "removedByModerator" : "removed";
  const body = removed ? el("p", "body muted", el("em", "", t(removedBy))) : commentBody(comment, t);
  article.replaceChildren(header, removed ? "" : moderationNotice(comment, t) || "", body);
  if (!removed) {
    article.append(actions(ctx, item, comment));
  }
  item.classList.toggle("removed", removed);
}

/**
 * @param {Context} ctx
 * @param {Comment} comment
 * @param {1 | -1} value
 */
function voteButton(ctx, comment, value) {
  const { t, state, request, announce } = ctx;
  const mine = state.votes.get(comment.id) === value;
  const vote = el("button", { type: "button", className: "vote", "aria-pressed": String(mine) },
    el("span", { "aria-hidden": "true" }, value > 0 ? "▲" : "▼"),
    el("span", "sr", t(value > 0 ? "upvote" : "downvote")),
    " " + (value > 0 ? comment.upvotes : comment.downvotes));
  vote.onclick = async () => {
    try {
      await ensureWriter(ctx);
      const result = await request(`/comments/${comment.id}/vote`, { method: "POST", body: { value: mine ? 0 : value }, write: true });
      state.votes.set(comment.id, result.your_vote);
      applyVotes(ctx, comment.id, result);
      const node = state.nodes.get(comment.id);
      /** @type {HTMLElement | null | undefined} */ (node?.item.querySelector(`:scope > article .vote:nth-of-type(${value > 0 ? 1 : 2})`))?.focus();
    } catch (error) {
      announce(messageOf(error, t));
    }
  };
  return vote;
}

/**
 * @param {Context} ctx
 * @param {HTMLElement} item
 * @param {Comment} comment
 */
function actions(ctx, item, comment) {
  const { t, state, auth } = ctx;
  // A comment only its author sees (held or rejected) cannot be voted on or replied to yet.
  const published = !heldAs(comment);
  const footer = el("footer", "");
  if (published) {
    footer.append(voteButton(ctx, comment, 1), " ", voteButton(ctx, comment, -1));
  }
  if (published && !state.thread.is_closed) {
    const reply = button(t("reply"), () => openReply(ctx, item, comment, reply));
    reply.setAttribute("aria-expanded", "false");
    footer.append(" ", reply);
  }
  const may = permissions(comment, isMine(auth, comment));
  // Before Edit and Remove, in the standalone page's order: Remove stays last, where its Cancel returns.
  if (may.report) {
    footer.append(" ", reportControl(ctx, comment, footer));
  }
  if (may.edit) {
    footer.append(" ", button(t("edit"), () => openEdit(ctx, item, comment)));
  }
  if (may.remove) {
    footer.append(" ", button(t("remove"), () => confirmRemoval(ctx, comment, footer)));
  }
  return footer;
}

/**
 * @param {Context} ctx
 * @param {HTMLElement} item
 * @param {Comment} comment
 * @param {HTMLButtonElement} toggle
 */
function openReply(ctx, item, comment, toggle) {
  const open = item.querySelector(":scope > form.composer");
  if (open) {
    open.remove();
    toggle.setAttribute("aria-expanded", "false");
    toggle.focus();
    return;
  }
  const form = composer(ctx, {
    parent: comment,
    onDone: (reply) => {
      form.remove();
      toggle.setAttribute("aria-expanded", "false");
      if (reply) {
        insert(ctx, reply, true);
        ctx.announce(postedMessage(reply, ctx.t));
      } else {
        toggle.focus();
      }
    },
  });
  articleOf(item).after(form);
  toggle.setAttribute("aria-expanded", "true");
  /** @type {HTMLTextAreaElement} */ (form.querySelector("textarea")).focus();
}

/**
 * @param {Context} ctx
 * @param {HTMLElement} item
 * @param {Comment} comment
 */
function openEdit(ctx, item, comment) {
  const article = articleOf(item);
  const body = /** @type {HTMLElement} */ (article.querySelector(".body, details"));
  // The markdown if this browser wrote it, else the text.
  const source = comment.source || (body.querySelector(".body") || body).textContent?.trim();
  const form = composer(ctx, {
    editing: { ...comment, source },
    onDone: (saved) => {
      form.replaceWith(body);
      if (saved) {
        Object.assign(comment, saved);
        fillArticle(ctx, item, comment);
        ctx.announce(ctx.t("saved"));
      }
      article.focus();
    },
  });
  body.replaceWith(form);
  /** @type {HTMLTextAreaElement} */ (form.querySelector("textarea")).focus();
}

/**
 * @param {Context} ctx
 * @param {Comment} comment
 * @param {HTMLElement} footer
 */
function confirmRemoval(ctx, comment, footer) {
  const { t, request, announce } = ctx;
  const question = el("p", { className: "confirm", role: "group", "aria-label": t("remove") }, t("confirmRemove"), " ");
  const yes = button(t("yesRemove"), async () => {
    try {
      const removed = await request(`/comments/${comment.id}`, { method: "DELETE", write: true });
      removeComment(ctx, comment.id, removed.reply_count > 0);
      announce(t("removed"));
    } catch (error) {
      announce(messageOf(error, t));
    }
  }, "button danger");
  const no = button(t("cancel"), () => {
    question.remove();
    footer.hidden = false;
    /** @type {HTMLButtonElement} */ (footer.querySelector("button:last-child")).focus();
  });
  question.append(yes, " ", no);
  footer.hidden = true;
  footer.after(question);
  yes.focus();
}

/**
 * A removal, by this reader or (live) by anyone: with replies the comment stays as "removed".
 * @param {Context} ctx
 * @param {number} id
 * @param {boolean} hasReplies
 */
export function removeComment(ctx, id, hasReplies) {
  const removal = removeFromTree(ctx.state.nodes, id, hasReplies);
  if (removal?.kind === "tombstone") {
    fillArticle(ctx, removal.node.item, removal.node.comment);
  } else if (removal) {
    removal.node.item.remove();
  }
}

/**
 * Another panel's, or the live stream's, new vote counts.
 * @param {Context} ctx
 * @param {number} id
 * @param {{upvotes: number, downvotes: number}} counts
 */
export function applyVotes(ctx, id, counts) {
  const node = ctx.state.nodes.get(id);
  if (!node) {
    return;
  }
  Object.assign(node.comment, { upvotes: counts.upvotes, downvotes: counts.downvotes });
  const footer = node.item.querySelector(":scope > article > footer");
  if (footer) {
    footer.querySelectorAll(".vote").forEach((vote, index) => vote.replaceWith(voteButton(ctx, node.comment, index ? -1 : 1)));
  }
}

/**
 * A live edit: the comment's new content, drawn in place.
 * @param {Context} ctx
 * @param {Comment} comment
 */
export function applyEdit(ctx, comment) {
  const node = ctx.state.nodes.get(comment.id);
  if (node) {
    Object.assign(node.comment, comment);
    fillArticle(ctx, node.item, node.comment);
  }
}

/**
 * @param {Context} ctx
 * @param {Comment} comment
 * @param {HTMLOListElement} list
 * @param {string} cursor
 * @param {string} label
 * @returns {HTMLButtonElement}
 */
function moreRepliesButton(ctx, comment, list, cursor, label) {
  const { t, state, request, announce } = ctx;
  const more = button(label, async () => {
    more.disabled = true;
    try {
      /** @type {{replies: Comment[], next_cursor: string | null}} */
      const page = await request(repliesPath(comment.id, cursor), { personal: true });
      const fresh = page.replies.filter((reply) => !state.nodes.has(reply.id)).map((reply) => commentNode(ctx, reply));
      list.append(...fresh);
      more.replaceWith(page.next_cursor ? moreRepliesButton(ctx, comment, list, page.next_cursor, t("evenMoreReplies")) : "");
      if (fresh[0]) {
        articleOf(fresh[0]).focus(); // keyboard users continue from there
      }
    } catch (error) {
      more.disabled = false;
      announce(messageOf(error, t));
    }
  });
  return more;
}

/**
 * A new comment (posted here, or shown from the live stream) put in its place; its item, or null when it
 * is already shown or belongs under a reply not on the page.
 * @param {Context} ctx
 * @param {Comment} comment
 * @param {boolean} focus
 * @returns {HTMLLIElement | null}
 */
export function insert(ctx, comment, focus) {
  const { state, panel } = ctx;
  const place = placeOf(state.nodes, comment);
  if (!place) {
    return null;
  }
  const item = commentNode(ctx, comment);
  if (place.parent) {
    /** @type {HTMLElement} */ (place.parent.item.querySelector(":scope > .replies")).append(item);
  } else {
    /** @type {HTMLElement} */ (panel.querySelector("ol.comments")).prepend(item);
    /** @type {HTMLElement} */ (panel.querySelector(".empty")).hidden = true;
  }
  state.pending = withoutPending(state.pending, comment.id);
  updateLiveBar(ctx);
  if (focus) {
    articleOf(item).focus();
  }
  return item;
}

/**
 * The "new comments" button above the thread, showing how many wait.
 * @param {Context} ctx
 */
export function updateLiveBar({ t, state, panel }) {
  const live = /** @type {HTMLElement} */ (panel.querySelector(".live"));
  const waiting = state.pending.length;
  live.hidden = waiting === 0;
  live.textContent = t("newComments", { n: waiting });
}

// --- The list as a whole

/**
 * A page of comments appended to the thread (or replacing it, for a new sort order); the new items.
 * @param {Context} ctx
 * @param {CommentsPage} page
 * @param {boolean} replace
 * @returns {HTMLLIElement[]}
 */
export function fillList(ctx, page, replace) {
  const { state, panel } = ctx;
  const list = /** @type {HTMLElement} */ (panel.querySelector("ol.comments"));
  const items = page.comments.filter((comment) => !state.nodes.has(comment.id)).map((comment) => commentNode(ctx, comment));
  if (replace) {
    list.replaceChildren(...items);
  } else {
    list.append(...items);
  }
  /** @type {HTMLElement} */ (panel.querySelector(".empty")).hidden = list.children.length > 0;
  const more = /** @type {HTMLElement} */ (panel.querySelector(".load-more"));
  more.hidden = !page.next_cursor;
  state.cursor = page.next_cursor;
  return items;
}

/**
 * The sort menu; choosing another order reloads the thread from the top in that order.
 * @param {Context} ctx
 */
export function sortControl(ctx) {
  const { t, state, request } = ctx;
  const select = el("select", { id: "sort-" + state.thread.id });
  for (const sort of SORTS) {
    select.append(el("option", { value: sort, selected: sort === state.sort }, t(sort)));
  }
  select.onchange = async () => {
    state.sort = select.value;
    const page = await request(commentsPath(state.thread.id, state.sort), { personal: true });
    state.nodes.clear();
    fillList(ctx, page, true);
  };
  return el("p", "sort", el("label", { for: select.id }, t("sortBy")), " ", select);
}
