/* Navis check step: while records are still being read, look again every few seconds and show what
 * the page now says. Without this script the page has a link to refresh it; this only saves the click. */
(function () {
  "use strict";

  var INTERVAL_MS = 4000;
  var MAX_TRIES = 75; // five minutes: past that, the patient's own refresh will do
  var tries = 0;

  function region(page) { return page.querySelector("[data-records-check]"); }

  function look() {
    tries += 1;
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var fresh = region(new DOMParser().parseFromString(html, "text/html"));
        var current = region(document);
        if (fresh && current) { current.innerHTML = fresh.innerHTML; }
        if (fresh && fresh.querySelector("[data-still-reading]") && tries < MAX_TRIES) { schedule(); }
      })
      .catch(function () { if (tries < MAX_TRIES) { schedule(); } });
  }

  function schedule() { window.setTimeout(look, INTERVAL_MS); }

  if (window.fetch && window.DOMParser && document.querySelector("[data-still-reading]")) { schedule(); }
})();
