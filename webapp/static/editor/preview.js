// Refreshes the edit page's preview while the editor types (the Preview button does the same
// without JavaScript). The server renders the fragment; nothing here builds HTML.
(function () {
  "use strict";
  var form = document.getElementById("suggestion-form");
  var region = document.getElementById("preview-body");
  if (!form || !region || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-preview-url");
  var timer = null;
  var latest = 0;

  function refresh() {
    var ticket = ++latest;
    var data = new FormData(form);
    data.set("action", "preview");
    fetch(url, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) { if (ticket === latest) { region.innerHTML = html; } })
      .catch(function () { /* keep the last preview; the button still works */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 700);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
