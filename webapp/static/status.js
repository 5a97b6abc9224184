// Progressive enhancement of a submission's status page: poll the status and reload the page
// once the review has finished. Without JavaScript the "Refresh the status" link does the same.
(function () {
  "use strict";
  var box = document.getElementById("status");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var state = box.getAttribute("data-state");
  var delay = 3000;
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (data.state !== state) { window.location.reload(); return; }
        delay = Math.min(delay * 1.5, 30000);
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, 30000); });
  }
  window.setTimeout(poll, delay);
})();
