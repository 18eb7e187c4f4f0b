// Progressive enhancement only: every control on the page works without this file.
(function () {
  "use strict";

  // Inline spoilers are checkboxes (Space toggles them); readers also expect Enter to reveal.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && target instanceof HTMLInputElement && target.classList.contains("spoiler-switch")) {
      event.preventDefault();
      target.click();
    }
  });

  // Keep the switch's name in step with what it does, for screen readers.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.classList.contains("spoiler-switch")) {
      target.setAttribute("aria-label", target.checked ? "Spoiler shown: hide it" : "Spoiler hidden: show it");
    }
  });

  // Opening a reply (or an edit) disclosure puts the cursor straight into its text box.
  document.addEventListener(
    "toggle",
    function (event) {
      var details = event.target;
      if (!(details instanceof HTMLDetailsElement) || !details.open || !details.classList.contains("reply-toggle")) {
        return;
      }
      var textarea = details.querySelector("textarea");
      if (textarea) {
        textarea.focus();
      }
    },
    true // "toggle" does not bubble; listen while it is captured
  );

  // A page every reader nobody knows shares (and caches keep) carries its forms' CSRF fields empty
  // (talkies/web/forms_csrf.py). Fetch a token when one of them is sent, fill them all, and send the form as
  // the reader meant it. Should the fetch fail, the form goes as it is and the server shows it again with
  // a token, so nothing typed is lost.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    var field = form.querySelector("input[data-csrf-from]");
    if (!(field instanceof HTMLInputElement) || field.value) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    var send = function () {
      if (submitter && submitter.name) {
        // form.submit() sends no button: keep the one pressed (a vote's value, say).
        var pressed = document.createElement("input");
        pressed.type = "hidden";
        pressed.name = submitter.name;
        pressed.value = submitter.value;
        form.appendChild(pressed);
      }
      HTMLFormElement.prototype.submit.call(form);
    };
    fetch(field.getAttribute("data-csrf-from"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && data.token) {
          document.querySelectorAll("input[data-csrf-from]").forEach(function (input) {
            input.value = data.token;
          });
        }
      })
      .catch(function () {})
      .then(send);
  });

  // This browser runs our script: say so, so that a signed-in reader's story page can be the page every
  // signed-in reader shares (the server's talkies/web/reader_shell.py), made theirs below. Who they are is
  // in the session cookie, never in this one.
  document.cookie = "talkies_js=1; path=/; max-age=31536000; samesite=lax";

  // On such a shared page, fetch the parts that are this reader's (their name, their votes, their rating,
  // their own comments' Edit and Remove) and swap them in. Should the fetch fail, the page stays as it is:
  // every form on it still works.
  function shownIds(prefix) {
    var ids = [];
    document.querySelectorAll('[data-reader-part^="' + prefix + '-"]').forEach(function (element) {
      ids.push(element.getAttribute("data-reader-part").slice(prefix.length + 1));
    });
    return ids.join(",");
  }

  function applyReaderState(section) {
    var url = section.getAttribute("data-reader-state");
    // Which comments the shell shows: the server renders those the reader wrote, voted on or reported.
    url += (url.indexOf("?") < 0 ? "?" : "&") + "shown=" + shownIds("comment") + "&featured=" + shownIds("featured");
    fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (!state) {
          return;
        }
        if (state.reload) {
          window.location.reload(); // the session named nobody any more, and has been removed
          return;
        }
        Object.keys(state.parts).forEach(function (name) {
          document.querySelectorAll('[data-reader-part="' + CSS.escape(name) + '"]').forEach(function (element) {
            var template = document.createElement("template");
            template.innerHTML = state.parts[name].trim();
            element.replaceWith(template.content);
          });
        });
        section.removeAttribute("data-reader-state");
        document.dispatchEvent(new CustomEvent("talkies:reader-state"));
      })
      .catch(function () {});
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector("[data-reader-state]");
    if (section) {
      applyReaderState(section);
    }
  });

  // A permalink opens on the comment it names: bring it into view and move keyboard focus there, so the
  // next Tab continues from the comment rather than from the top of the page.
  document.addEventListener("DOMContentLoaded", function () {
    var target = document.querySelector(".is-target > .comment-card");
    if (target instanceof HTMLElement) {
      target.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    }
  });
})();
