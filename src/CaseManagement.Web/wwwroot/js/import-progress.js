// Progress bar of a running import (Features/Imports/Imports/Status.cshtml): polls the page's status URL every two
// seconds and updates the bar and its text; when the import has finished, the page is reloaded to show the report.
// Without this script the page shows the same state on "Stand aktualisieren".
(function () {
  "use strict";
  var bar = document.getElementById("import-progress");
  if (!bar) { return; }
  var text = document.getElementById("import-progress-text");
  var meter = bar.querySelector("progress");
  var url = bar.getAttribute("data-status-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { return; }
        if (state.finished) { window.location.reload(); return; }
        bar.setAttribute("aria-valuemax", String(state.rows));
        bar.setAttribute("aria-valuenow", String(state.done));
        bar.setAttribute("aria-valuetext", state.progress);
        if (meter) { meter.max = Math.max(state.rows, 1); meter.value = state.done; }
        if (text && text.textContent !== state.progress) { text.textContent = state.progress; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
