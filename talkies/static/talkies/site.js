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
