// Live updates for a story's thread, over Server-Sent Events (talkies/live on the server).
//
// Progressive enhancement: without this file, or without EventSource, the page is the same thread as
// it was when it loaded, and reloading shows what is new.
//
// New comments wait behind a "N new comments — show" button, so nothing moves under the reader's eyes;
// edits, removals and vote counts are applied in place. Every value from the server is set as text,
// except body_html, which the server rendered from markdown and sanitised with nh3 before storing it.
(function () {
  "use strict";

  var script = document.currentScript;
  var thread = document.querySelector("#comments .thread");
  if (!script || !script.dataset.stream || !thread || !window.EventSource) {
    return;
  }

  var REMOVED_TEXT = "This comment was removed by its author.";
  var LAST_NESTED_LEVEL = 2; // as talkies/web/threads.py MAX_LEVELS - 1: deeper replies are listed flat

  var pending = []; // comments waiting behind the button, oldest first
  var lastVersion = {}; // comment id -> thread version of the last event applied to it
  var bar = null;
  var button = null;
  var announcer = null;

  // --- Small DOM helpers ---------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function commentItem(id) {
    return document.getElementById("comment-" + id);
  }

  function ownChild(parent, selector) {
    for (var i = 0; i < parent.children.length; i++) {
      if (parent.children[i].matches(selector)) {
        return parent.children[i];
      }
    }
    return null;
  }

  function levelOf(item) {
    var match = /comment-level-(\d+)/.exec(item.className);
    return match ? parseInt(match[1], 10) : 0;
  }

  // The same show/hide switch talkies.web's with_spoiler_controls gives server-rendered spoilers: the
  // text stays invisible until its checkbox is ticked (site.css), and site.js handles the keyboard.
  function addSpoilerControls(root) {
    var spoilers = root.querySelectorAll("span.spoiler[data-spoiler]");
    for (var i = 0; i < spoilers.length; i++) {
      var spoiler = spoilers[i];
      var label = el("label", "spoiler-reveal");
      label.title = "Show or hide the spoiler";
      var toggle = el("input", "spoiler-switch");
      toggle.type = "checkbox";
      toggle.setAttribute("aria-label", "Spoiler hidden: show it");
      var text = el("span", "spoiler-text");
      while (spoiler.firstChild) {
        text.appendChild(spoiler.firstChild);
      }
      label.append(toggle, text);
      spoiler.appendChild(label);
    }
  }

  // The comment's body, inside a closed "contains spoilers" disclosure when the whole comment is one.
  function bodyBlock(comment) {
    var body = el("div", "comment-body prose");
    // A <template> parses without running anything; the spoilers get their switches before the body
    // is attached, so no spoiler text is ever on screen.
    var template = document.createElement("template");
    template.innerHTML = comment.body_html; // sanitised by nh3 on the server (talkies/lib/markdown.py)
    addSpoilerControls(template.content);
    body.appendChild(template.content);
    if (!comment.is_spoiler) {
      return body;
    }
    var details = el("details", "spoiler-comment");
    var summary = el("summary");
    summary.append(el("span", "when-closed", "Contains spoilers — show"), el("span", "when-open", "Hide spoilers"));
    details.append(summary, body);
    return details;
  }

  function bodyBlockOf(article) {
    return ownChild(article, "details.spoiler-comment, .comment-body");
  }

  function editedMarker(editedAt) {
    var marker = el("span", "edited muted", "edited");
    marker.title = "Edited " + new Date(editedAt).toLocaleString();
    return marker;
  }

  function voteTally(upvotes, downvotes) {
    var tally = el("span", "vote-tally muted");
    var up = el("span", "", "▲");
    up.setAttribute("aria-hidden", "true");
    var down = el("span", "", "▼");
    down.setAttribute("aria-hidden", "true");
    tally.append(
      up, el("span", "visually-hidden", "Upvotes:"), " " + upvotes + " ",
      down, el("span", "visually-hidden", "Downvotes:"), " " + downvotes
    );
    return tally;
  }

  // Mirrors talkies/web/templates/web/partials/comment_node.html, without the forms: replying and
  // voting on a comment that arrived live needs a reload, which gives the reader's own controls.
  function commentElement(comment, level, inReplyTo) {
    var id = "comment-" + comment.id;
    var item = el("li", "comment comment-level-" + level + " comment-live");
    item.id = id;
    item.tabIndex = -1;
    var article = el("article", "comment-card");
    article.setAttribute("aria-labelledby", id + "-author");

    var header = el("header", "comment-meta");
    var author = el("span", "comment-author", comment.author_name || "Guest");
    author.id = id + "-author";
    header.append(author, " ");
    if (inReplyTo) {
      header.append(el("span", "in-reply-to muted", "replying to " + inReplyTo), " ");
    }
    var link = el("a", "comment-time muted");
    link.href = "#" + id;
    var time = el("time", "", "just now");
    time.dateTime = comment.created_at;
    time.title = new Date(comment.created_at).toLocaleString();
    link.appendChild(time);
    header.appendChild(link);
    if (comment.edited_at) {
      header.append(" ", editedMarker(comment.edited_at));
    }

    var footer = el("footer", "comment-actions");
    footer.appendChild(voteTally(comment.upvotes, comment.downvotes));
    article.append(header, bodyBlock(comment), footer);
    item.appendChild(article);
    return item;
  }

  // --- The "N new comments" button -----------------------------------------------------------------

  function ensureBar() {
    if (bar) {
      return;
    }
    bar = el("div", "live-updates");
    // Sticky, so the button stays in reach while the reader is anywhere in the thread.
    bar.style.position = "sticky";
    bar.style.top = "0.5rem";
    bar.style.zIndex = "1";
    bar.style.margin = "0.75rem 0";
    button = el("button", "button live-show");
    button.type = "button";
    button.hidden = true;
    button.addEventListener("click", showPending);
    announcer = el("p", "visually-hidden");
    announcer.setAttribute("role", "status");
    announcer.setAttribute("aria-live", "polite");
    bar.append(button, announcer);
    var anchor = ownChild(thread, "nav.sort-nav, ol.comments") || null;
    thread.insertBefore(bar, anchor);
  }

  function describe(count) {
    return count + " new comment" + (count === 1 ? "" : "s");
  }

  function updateBar() {
    ensureBar();
    var count = pending.length;
    button.hidden = count === 0;
    button.textContent = describe(count) + " — show";
    if (count > 0) {
      announcer.textContent = describe(count) + ": press the “show” button at the top of the comments to read them.";
    }
  }

  function topLevelList() {
    var list = ownChild(thread, "ol.comments");
    if (list) {
      return list;
    }
    list = el("ol", "comments");
    for (var i = 0; i < thread.children.length; i++) {
      if (/^No comments yet/.test(thread.children[i].textContent.trim())) {
        thread.children[i].remove();
        break;
      }
    }
    thread.appendChild(list);
    return list;
  }

  function authorName(item) {
    var author = item.querySelector(".comment-author");
    return item.classList.contains("is-removed") || !author ? "a removed comment" : author.textContent;
  }

  function insert(comment) {
    if (commentItem(comment.id)) {
      return null; // already on the page (replayed, or the reader's own page load raced the event)
    }
    var parent = comment.parent_id ? commentItem(comment.parent_id) : null;
    var item;
    if (!parent) {
      // A top-level comment goes first; so does a reply to a comment not on this page, saying so.
      item = commentElement(comment, 0, comment.parent_id ? "an earlier comment" : null);
      var list = topLevelList();
      list.insertBefore(item, list.firstChild);
    } else if (levelOf(parent) < LAST_NESTED_LEVEL) {
      item = commentElement(comment, levelOf(parent) + 1, null);
      var replies = ownChild(parent, "ol.replies");
      if (!replies) {
        replies = el("ol", "replies");
        parent.appendChild(replies);
      }
      replies.appendChild(item);
    } else {
      // Below the nesting limit replies are listed flat, each naming whom it answers (as the server does).
      item = commentElement(comment, LAST_NESTED_LEVEL, authorName(parent));
      parent.parentNode.appendChild(item);
    }
    return item;
  }

  function showPending() {
    var comments = pending.splice(0);
    var first = null;
    for (var i = 0; i < comments.length; i++) {
      var item = insert(comments[i]);
      first = first || item;
    }
    updateBar();
    announcer.textContent = comments.length + (comments.length === 1 ? " comment" : " comments") + " shown.";
    if (first) {
      first.focus({ preventScroll: true });
      first.scrollIntoView({ block: "nearest" });
    }
  }

  function pendingIndex(id) {
    for (var i = 0; i < pending.length; i++) {
      if (pending[i].id === id) {
        return i;
      }
    }
    return -1;
  }

  // --- Applying events -----------------------------------------------------------------------------

  // Events about one comment can arrive out of order after a reconnect; the thread version says which
  // is newer, so an old vote count never overwrites a new one.
  function isNews(id, version) {
    if (lastVersion[id] >= version) {
      return false;
    }
    lastVersion[id] = version;
    return true;
  }

  function onCreated(data) {
    var comment = data.comment;
    if (!isNews(comment.id, data.version) || commentItem(comment.id) || pendingIndex(comment.id) >= 0) {
      return;
    }
    pending.push(comment);
    updateBar();
  }

  function onEdited(data) {
    var comment = data.comment;
    if (!isNews(comment.id, data.version)) {
      return;
    }
    var waiting = pendingIndex(comment.id);
    if (waiting >= 0) {
      pending[waiting] = comment;
      return;
    }
    var item = commentItem(comment.id);
    var article = item && ownChild(item, "article");
    var block = article && bodyBlockOf(article);
    if (!block) {
      return;
    }
    block.replaceWith(bodyBlock(comment));
    var header = ownChild(article, "header");
    if (header && comment.edited_at && !header.querySelector(".edited")) {
      header.append(" ", editedMarker(comment.edited_at));
    }
  }

  function onRemoved(data) {
    if (!isNews(data.id, data.version)) {
      return;
    }
    var waiting = pendingIndex(data.id);
    if (waiting >= 0) {
      pending.splice(waiting, 1);
      updateBar();
      return;
    }
    var item = commentItem(data.id);
    if (!item) {
      return;
    }
    if (data.has_replies) {
      showAsRemoved(item);
    } else {
      removeItem(item);
    }
  }

  // What the server renders for a removed comment that still has replies: no name, no words, no controls.
  function showAsRemoved(item) {
    item.classList.add("is-removed");
    var article = ownChild(item, "article");
    if (!article) {
      return;
    }
    var header = ownChild(article, "header");
    var author = header && header.querySelector(".comment-author");
    if (author) {
      author.textContent = "Removed comment";
      author.classList.add("muted");
    }
    var badge = header && header.querySelector(".rating-badge");
    if (badge) {
      badge.remove();
    }
    var block = bodyBlockOf(article);
    var placeholder = el("div", "comment-body prose");
    placeholder.appendChild(el("p")).appendChild(el("em", "", REMOVED_TEXT));
    if (block) {
      block.replaceWith(placeholder);
    }
    var footer = ownChild(article, "footer");
    if (footer) {
      footer.remove();
    }
  }

  // A comment without replies leaves the page; a removed parent it was holding up leaves with it.
  function removeItem(item) {
    var list = item.parentElement;
    var parent = list && list.matches("ol.replies") ? list.parentElement : null;
    item.remove();
    if (list && list.matches("ol.replies") && !list.children.length) {
      list.remove();
      if (parent && parent.classList.contains("is-removed")) {
        removeItem(parent);
      }
    }
  }

  function onVoted(data) {
    if (!isNews(data.id, data.version)) {
      return;
    }
    var waiting = pendingIndex(data.id);
    if (waiting >= 0) {
      pending[waiting].upvotes = data.upvotes;
      pending[waiting].downvotes = data.downvotes;
      return;
    }
    var item = commentItem(data.id);
    var article = item && ownChild(item, "article");
    if (!article) {
      return;
    }
    var upCount = article.querySelector(".comment-actions .vote-up .vote-count");
    var downCount = article.querySelector(".comment-actions .vote-down .vote-count");
    if (upCount && downCount) {
      upCount.textContent = data.upvotes;
      downCount.textContent = data.downvotes;
      return;
    }
    var tally = article.querySelector(".comment-actions .vote-tally");
    if (tally) {
      tally.replaceWith(voteTally(data.upvotes, data.downvotes));
    }
  }

  function offerReload(reason) {
    ensureBar();
    var notice = el("p", "notice");
    notice.setAttribute("role", "status");
    var reload = el("button", "button button-quiet", "Reload");
    reload.type = "button";
    reload.addEventListener("click", function () {
      window.location.reload();
    });
    notice.append(reason + " ", reload);
    bar.appendChild(notice);
  }

  // --- The stream ----------------------------------------------------------------------------------

  var handlers = {
    "comment.created": onCreated,
    "comment.edited": onEdited,
    "comment.removed": onRemoved,
    "comment.approved": onCreated,
    "comment.rejected": onRemoved,
    "comment.voted": onVoted,
  };
  // EventSource reconnects by itself after a dropped connection, sending the last event's id as
  // Last-Event-ID, and the server replays whatever this page missed meanwhile. A refusal (429 or 503 while
  // the server sheds streams) closes it for good instead: the page opens it again after a wait that
  // doubles from 30 s to 10 min, with jitter, resuming after the last event it saw (?since=).
  var lastEventId = "";
  var refusals = 0;
  var current = null;

  function resumingUrl() {
    var url = script.dataset.stream;
    if (!/^[0-9]{1,18}$/.test(lastEventId)) {
      return url;
    }
    return url + (url.indexOf("?") === -1 ? "?" : "&") + "since=" + lastEventId;
  }

  function reopenDelay() {
    var ceiling = Math.min(600000, 30000 * Math.pow(2, Math.min(refusals, 20)));
    return Math.round(ceiling / 2 + (ceiling / 2) * Math.random());
  }

  function open() {
    var source = new EventSource(resumingUrl());
    current = source;
    Object.keys(handlers).forEach(function (kind) {
      source.addEventListener(kind, function (event) {
        lastEventId = event.lastEventId || lastEventId;
        handlers[kind](JSON.parse(event.data));
      });
    });
    source.addEventListener("reload", function (event) {
      source.close();
      current = null;
      thread.dataset.live = "closed";
      offerReload(JSON.parse(event.data).reason);
    });
    source.addEventListener("open", function () {
      refusals = 0;
      thread.dataset.live = "connected";
    });
    source.addEventListener("error", function () {
      if (source.readyState !== EventSource.CLOSED) {
        thread.dataset.live = "reconnecting";
        return;
      }
      thread.dataset.live = "closed";
      if (current !== source) {
        return;
      }
      var wait = reopenDelay();
      refusals += 1;
      window.setTimeout(function () {
        if (current === source) {
          open();
        }
      }, wait);
    });
  }
  open();
})();
