// The moderation screen's keyboard and live arrivals. Progressive enhancement: every action on the
// screen is a form that works without this file; with it, forms are sent in the background, decided
// items leave the list, and j/k/a/r/f/b/x/? work.
(function () {
  "use strict";

  var root = document.querySelector(".moderate");
  if (!root) {
    return;
  }
  var list = root.querySelector(".mod-list");
  var status = root.querySelector(".live-status");
  var help = document.getElementById("mod-help");

  function items() {
    return Array.prototype.slice.call(list ? list.querySelectorAll(".mod-item") : []);
  }

  function current() {
    var active = document.activeElement;
    var item = active && active.closest ? active.closest(".mod-item") : null;
    return item || root.querySelector(".mod-item.is-current");
  }

  function select(item) {
    items().forEach(function (other) {
      other.classList.toggle("is-current", other === item);
    });
    if (item) {
      item.focus({ preventScroll: true });
      item.scrollIntoView({ block: "nearest" });
    }
  }

  function move(step) {
    var all = items();
    if (!all.length) {
      return;
    }
    var index = all.indexOf(current());
    var next = index < 0 ? 0 : Math.min(all.length - 1, Math.max(0, index + step));
    select(all[next]);
  }

  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function adjustCount(queue, delta) {
    var counter = root.querySelector('[data-queue-count="' + queue + '"]');
    if (counter) {
      counter.textContent = String(Math.max(0, (parseInt(counter.textContent, 10) || 0) + delta));
    }
  }

  // Send a moderation form in the background; the server answers JSON when asked for it.
  function send(form) {
    var item = form.closest(".mod-item");
    var body = new FormData(form);
    if (form.id === "bulk-form") {
      items().forEach(function (each) {
        var box = each.querySelector('input[name="comment_ids"]');
        if (box && box.checked && !body.getAll("comment_ids").includes(box.value)) {
          body.append("comment_ids", box.value);
        }
      });
    }
    // getAttribute, not form.action: the forms have an input named "action", which shadows the property.
    return fetch(form.getAttribute("action") || location.href, {
      method: "POST",
      body: body,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (answer) {
          return { ok: response.ok, answer: answer };
        });
      })
      .then(function (result) {
        say(result.answer.message || "");
        if (!result.ok) {
          return;
        }
        var action = body.get("action");
        var leaves = item && ["approve", "reject", "remove", "restore"].indexOf(action) >= 0;
        if (leaves) {
          var all = items();
          var next = all[all.indexOf(item) + 1] || all[all.indexOf(item) - 1];
          item.remove();
          adjustCount(root.dataset.queue, -1);
          select(next || null);
        } else if (form.id === "bulk-form") {
          (result.answer.done || []).forEach(function (id) {
            var done = document.getElementById("item-" + id);
            if (done) {
              done.remove();
              adjustCount(root.dataset.queue, -1);
            }
          });
        } else if (item) {
          refresh(item.dataset.commentId, item);
        }
      })
      .catch(function () {
        say("That did not reach the server: check the connection and try again.");
      });
  }

  function fragmentUrl(id) {
    return root.dataset.itemUrl.replace(/0\/$/, id + "/") + "?fragment=1&next=" + encodeURIComponent(location.pathname + location.search);
  }

  // Fetch one item as the queue renders it: to show an arrival, or an item after a change.
  function refresh(id, replace) {
    return fetch(fragmentUrl(id), { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        if (!html) {
          return;
        }
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector(".mod-item");
        if (!fresh) {
          return;
        }
        if (replace) {
          replace.replaceWith(fresh);
          select(fresh);
        } else if (list && !document.getElementById(fresh.id)) {
          var empty = list.querySelector(".mod-empty");
          if (empty) {
            empty.remove();
          }
          fresh.classList.add("is-new");
          list.insertBefore(fresh, list.firstChild);
        }
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !root.contains(form) || (form.getAttribute("method") || "").toLowerCase() !== "post") {
      return;
    }
    var confirmer = form.querySelector("[data-confirm]");
    if (confirmer && !window.confirm(confirmer.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    send(form);
  });

  function typing(target) {
    return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
  }

  function press(key) {
    var item = current();
    if (!item) {
      return;
    }
    var form = item.querySelector('form[data-key="' + key + '"]');
    if (form) {
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit();
      } else {
        form.dispatchEvent(new Event("submit", { cancelable: true, bubbles: true }));
      }
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (typing(event.target)) {
      // In a reject reason box, Enter submits that form (the browser's default) and Escape leaves it.
      if (event.key === "Escape") {
        var item = event.target.closest(".mod-item");
        if (item) {
          item.focus();
        }
      }
      return;
    }
    switch (event.key) {
      case "j":
        move(1);
        break;
      case "k":
        move(-1);
        break;
      case "a":
      case "r":
      case "f":
      case "b":
        press(event.key);
        break;
      case "x": {
        var chosen = current();
        var box = chosen && chosen.querySelector('input[name="comment_ids"]');
        if (box) {
          box.checked = !box.checked;
        }
        break;
      }
      case "?":
        if (help && typeof help.showModal === "function") {
          help.showModal();
        }
        break;
      default:
        return;
    }
    event.preventDefault();
  });

  // Clicking anywhere in an item makes it the current one.
  document.addEventListener("click", function (event) {
    var item = event.target.closest ? event.target.closest(".mod-item") : null;
    if (item && !item.classList.contains("is-current")) {
      items().forEach(function (other) {
        other.classList.toggle("is-current", other === item);
      });
    }
  });

  select(items()[0] || null);

  // New items arrive over the live stream: the pending queue hears of held comments, the reported
  // queue of reports; the other queues' counters are kept up to date.
  var liveUrl = root.dataset.liveUrl;
  if (liveUrl && window.EventSource) {
    var stream = new EventSource(liveUrl, { withCredentials: true });
    ["moderation.pending", "moderation.reported"].forEach(function (kind) {
      stream.addEventListener(kind, function (message) {
        var event;
        try {
          event = JSON.parse(message.data);
        } catch (error) {
          return;
        }
        adjustCount(event.queue, 1);
        if (event.queue === root.dataset.queue || root.dataset.queue === "unmoderated") {
          refresh(event.comment_id, null).then(function () {
            say("A new comment arrived in the " + event.queue + " queue.");
          });
        }
      });
    });
  }
})();
