// The sign-in popup's last page (embed/login_done.html): hands the embed its token and closes. A file of
// its own, not an inline script, so the page's Content-Security-Policy needs no exception for it.
(function () {
  var message = JSON.parse(document.getElementById("talkies-message").textContent);
  // Exactly the allowed origin, never a wildcard: if the opener is any other page, the browser drops it.
  var targetOrigin = JSON.parse(document.getElementById("talkies-target-origin").textContent);
  if (window.opener) {
    window.opener.postMessage(message, targetOrigin);
    window.close();
  }
})();
