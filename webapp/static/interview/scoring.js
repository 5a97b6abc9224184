// Scoring form: autosave and keyboard shortcuts (progressive enhancement; the form works
// without this script through its "Save draft" button).
//
// Autosave sends only the fields changed since the last save, each with the fingerprint of the
// value it started from ("base"), to the autosave URL with the page's CSRF token. The server
// merges field by field: a field changed meanwhile in another tab is reported as a conflict,
// never overwritten; the user then keeps their text or takes the saved one. Saves happen a
// moment after typing stops (at most every few seconds while typing), when a field loses focus,
// when the page is hidden or closed, and on Ctrl+S. A failed save is retried with backoff.
(function () {
  "use strict";
  var form = document.getElementById("score-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-autosave-url");
  var baseInput = document.getElementById("base");
  var statusBox = document.getElementById("autosave-status");
  var base = {};
  try { base = JSON.parse(baseInput.value || "{}"); } catch (e) { base = {}; }

  var IDLE_MS = 1500;      // save this long after the last keystroke...
  var MAX_WAIT_MS = 5000;  // ...but at least this often while typing goes on
  var dirty = {};
  var idleTimer = null;
  var firstDirtyAt = 0;
  var inFlight = false;
  var again = false;
  var retryMs = 0;
  var locked = false;

  var conflictArea = document.createElement("div");
  conflictArea.id = "conflict-area";
  statusBox.parentNode.insertBefore(conflictArea, statusBox.nextSibling);

  function setStatus(state, text) {
    statusBox.setAttribute("data-state", state);
    if (statusBox.textContent !== text) { statusBox.textContent = text; }
  }

  function isField(el) {
    return el && el.name && el.form === form && el.type !== "hidden" &&
      el.type !== "submit" && el.name !== "confirm_final" && el.name !== "action";
  }

  function valueOf(name) {
    var els = form.elements[name];
    if (!els) { return null; }
    if (els.length !== undefined && els.tagName === undefined) {   // a radio group
      for (var i = 0; i < els.length; i++) { if (els[i].checked) { return els[i].value; } }
      return "";
    }
    if (els.type === "radio") { return els.checked ? els.value : ""; }
    return els.value;
  }

  function markDirty(name) {
    if (locked) { return; }
    if (!Object.keys(dirty).length) { firstDirtyAt = Date.now(); }
    dirty[name] = true;
    setStatus("pending", "Unsaved changes");
    window.clearTimeout(idleTimer);
    var waited = Date.now() - firstDirtyAt;
    idleTimer = window.setTimeout(save, waited >= MAX_WAIT_MS ? 0 : IDLE_MS);
  }

  function save(keepalive) {
    window.clearTimeout(idleTimer);
    var names = Object.keys(dirty);
    if (!names.length || locked) { return; }
    if (inFlight && !keepalive) { again = true; return; }
    var data = new FormData();
    data.append("csrf_token", form.elements.csrf_token.value);
    var sentBase = {};
    names.forEach(function (name) {
      data.append(name, valueOf(name));
      if (Object.prototype.hasOwnProperty.call(base, name)) { sentBase[name] = base[name]; }
    });
    data.append("base", JSON.stringify(sentBase));
    dirty = {};
    inFlight = true;
    setStatus("saving", "Saving…");
    fetch(url, {
      method: "POST", body: data, credentials: "same-origin", keepalive: !!keepalive,
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { code: response.status, body: body }; },
        function () { return { code: response.status, body: null }; });
    }).then(function (r) {
      inFlight = false;
      handle(names, r.code, r.body);
    }).catch(function () {
      inFlight = false;
      failed(names, "Not saved: the server cannot be reached. Retrying…");
    });
  }

  function failed(names, message) {
    names.forEach(function (n) { dirty[n] = true; });
    setStatus("error", message);
    retryMs = Math.min(retryMs ? retryMs * 2 : 2000, 30000);
    idleTimer = window.setTimeout(save, retryMs);
  }

  function handle(names, code, body) {
    if (!body || !body.status) {
      failed(names, code >= 500 ? "Not saved: the server had a problem. Retrying…"
        : "Not saved: the server refused the save (were you logged out?). Retrying…");
      return;
    }
    retryMs = 0;
    var conflicted = {};
    (body.conflicts || []).forEach(function (c) { conflicted[c.field] = c; });
    var errors = body.errors || {};
    names.forEach(function (name) {
      if (conflicted[name] || errors[name]) { dirty[name] = true; return; }
      if (body.fingerprints && body.fingerprints[name]) { base[name] = body.fingerprints[name]; }
    });
    baseInput.value = JSON.stringify(base);
    if (body.status === "locked") {
      locked = true;
      setStatus("error", "Your scores are final; this page no longer saves. Reload it.");
      return;
    }
    showConflicts(body.conflicts || []);
    if (body.status === "conflict") {
      // Conflicting fields wait for the user's choice (below); the rest keep saving.
      Object.keys(conflicted).forEach(function (name) { delete dirty[name]; });
      setStatus("conflict", "Not saved: changed in another tab or window. See below.");
      if (Object.keys(dirty).length) { idleTimer = window.setTimeout(save, IDLE_MS); }
      return;
    }
    if (body.status === "invalid") {
      setStatus("error", "Not saved: " + Object.keys(errors).map(function (k) { return errors[k]; }).join(" "));
      return;
    }
    var pending = Object.keys(dirty).length > 0;
    setStatus(pending ? "pending" : "saved", pending ? "Unsaved changes" : "All changes saved");
    if (again || pending) { again = false; idleTimer = window.setTimeout(save, IDLE_MS); }
  }

  function showConflicts(conflicts) {
    conflictArea.textContent = "";
    if (!conflicts.length) { return; }
    var box = document.createElement("div");
    box.className = "conflict-box";
    box.setAttribute("role", "alert");
    var h = document.createElement("h3");
    h.textContent = "Changed in another tab or window";
    box.appendChild(h);
    var p = document.createElement("p");
    p.textContent = "Your text was not saved over what was saved meanwhile. Choose for each field:";
    box.appendChild(p);
    conflicts.forEach(function (c) {
      var item = document.createElement("div");
      var label = document.createElement("p");
      var strong = document.createElement("strong");
      strong.textContent = c.label;
      label.appendChild(strong);
      label.appendChild(document.createTextNode(" — saved version:"));
      var quote = document.createElement("blockquote");
      quote.textContent = c.saved || "(empty)";
      var keep = document.createElement("button");
      keep.type = "button";
      keep.className = "button button--small";
      keep.textContent = "Keep my version";
      keep.addEventListener("click", function () {
        base[c.field] = c.saved_fingerprint;
        item.parentNode && item.parentNode.removeChild(item);
        markDirty(c.field);
        save();
      });
      var take = document.createElement("button");
      take.type = "button";
      take.className = "button button--secondary button--small";
      take.textContent = "Use the saved version";
      take.addEventListener("click", function () {
        setValue(c.field, c.saved);
        base[c.field] = c.saved_fingerprint;
        baseInput.value = JSON.stringify(base);
        delete dirty[c.field];
        item.parentNode && item.parentNode.removeChild(item);
        setStatus("saved", "All changes saved");
      });
      item.appendChild(label);
      item.appendChild(quote);
      item.appendChild(keep);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(take);
      box.appendChild(item);
    });
    conflictArea.appendChild(box);
  }

  function setValue(name, value) {
    var els = form.elements[name];
    if (!els) { return; }
    if (els.length !== undefined && els.tagName === undefined) {
      for (var i = 0; i < els.length; i++) { els[i].checked = els[i].value === value; }
    } else {
      els.value = value;
    }
  }

  form.addEventListener("input", function (e) { if (isField(e.target)) { markDirty(e.target.name); } });
  form.addEventListener("change", function (e) { if (isField(e.target)) { markDirty(e.target.name); } });
  form.addEventListener("focusout", function (e) {
    if (isField(e.target) && dirty[e.target.name]) { save(); }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(true); }
  });
  window.addEventListener("pagehide", function () { save(true); });

  // -- keyboard shortcuts ------------------------------------------------------------------------
  var groups = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-criterion]"));

  function focusGroup(index) {
    var group = groups[index];
    if (!group) { return; }
    var radio = group.querySelector("input[type=radio]:checked") || group.querySelector("input[type=radio]");
    if (radio) { radio.focus(); }
  }

  form.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === "s" || e.key === "S")) {
      e.preventDefault();
      save();
      return;
    }
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey || !t || t.type !== "radio") { return; }
    var group = t.closest("fieldset[data-criterion]");
    if (!group) { return; }
    if (/^[0-4]$/.test(e.key)) {
      var radio = group.querySelector("input[type=radio][value='" + e.key + "']");
      if (radio) {
        e.preventDefault();
        radio.checked = true;
        radio.focus();
        radio.dispatchEvent(new Event("change", { bubbles: true }));
      }
    } else if (e.key === "n" || e.key === "p") {
      e.preventDefault();
      focusGroup(groups.indexOf(group) + (e.key === "n" ? 1 : -1));
    }
  });

  setStatus("saved", "All changes saved");
})();
