// CALP forms that survive a double click, an idle session and a closed tab.
//
// - A form being sent cannot be sent again (its buttons are disabled); the server refuses
//   a repeat anyway (app/web/once.py), this only spares the person the wait.
// - Typing keeps the session alive: while the person types, the page pings
//   /sesion/activa at most once every few minutes (the server renews the cookie).
// - What is typed in a create form is kept as a local draft in this browser only (never
//   sent anywhere but with the form itself): keyed to the signed-in person by an opaque id
//   from the page, restored only to them, cleared once the form is saved, at sign-out and
//   when someone else signs in on this browser, and dropped after 12 hours.
//   After an expired session, signing in again brings the person back to the form, and
//   the draft puts back everything they had typed.
(function () {
  "use strict";

  var PREFIX = "calp-draft:";
  var OWNER = "calp-draft-owner";
  var MAX_AGE_MS = 12 * 3600 * 1000;
  // Never kept: tokens, the record version, passwords, files.
  var SKIP_NAMES = { csrf_token: 1, submission_token: 1, version: 1, next: 1 };
  var SKIP_TYPES = { hidden: 1, password: 1, file: 1, submit: 1, button: 1, reset: 1 };

  var body = document.body;
  var person = body.getAttribute("data-person") || "";
  var idleMs = Number(body.getAttribute("data-idle") || "0") * 1000;
  // Ping often enough that a renewal (due once half the idle time is gone) always
  // happens before the end: a quarter of the idle time, at most every 4 minutes.
  var pingEveryMs = Math.min(240000, idleMs / 4);
  var lastContact = Date.now();
  var pinging = false;

  var store = null;
  try {
    store = window.localStorage;
    store.getItem(OWNER);
  } catch (e) {
    store = null; // storage disabled: forms work, without drafts
  }

  function draftKeys() {
    var keys = [];
    if (!store) return keys;
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0) keys.push(key);
    }
    return keys;
  }

  function clearDrafts() {
    draftKeys().forEach(function (key) { store.removeItem(key); });
  }

  function readDraft(key) {
    try {
      var draft = JSON.parse(store.getItem(key) || "null");
      if (!draft || typeof draft.saved !== "number" || !draft.values) return null;
      if (Date.now() - draft.saved > MAX_AGE_MS) {
        store.removeItem(key);
        return null;
      }
      return draft;
    } catch (e) {
      store.removeItem(key);
      return null;
    }
  }

  if (store) {
    if (body.hasAttribute("data-signed-out")) {
      clearDrafts();
      store.removeItem(OWNER);
    } else if (person && store.getItem(OWNER) !== person) {
      clearDrafts(); // someone else signed in on this browser: not theirs to see
      store.setItem(OWNER, person);
    }
    draftKeys().forEach(readDraft); // drops the old ones
    if (body.hasAttribute("data-saved")) {
      draftKeys().forEach(function (key) {
        var draft = readDraft(key);
        if (draft && draft.sent) store.removeItem(key);
      });
    }
  }

  function keyOf(form) {
    return PREFIX + person + ":" + window.location.pathname + ":" + (form.getAttribute("action") || "");
  }

  function kept(el) {
    return el.name && !SKIP_NAMES[el.name] && !SKIP_TYPES[el.type] && !el.disabled;
  }

  function valuesOf(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) return;
      var list = values[el.name] || (values[el.name] = []);
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) list.push(el.value);
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { if (o.selected) list.push(o.value); });
      } else {
        list.push(el.value);
      }
    });
    return values;
  }

  function fill(form, values) {
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el) || !(el.name in values)) return;
      var list = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = list.indexOf(el.value) >= 0;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = list.indexOf(o.value) >= 0; });
      } else {
        var i = seen[el.name] || 0;
        if (i < list.length) el.value = list[i];
        seen[el.name] = i + 1;
      }
    });
  }

  function sameAsShown(form, values) {
    var shown = valuesOf(form);
    return Object.keys(values).every(function (name) {
      return !(name in shown) || shown[name].join("\u0000") === values[name].join("\u0000");
    });
  }

  function save(form, sent) {
    if (!store || !person) return;
    var values = valuesOf(form);
    var typed = Object.keys(values).some(function (k) { return values[k].join("") !== ""; });
    try {
      store.setItem(keyOf(form), JSON.stringify({ saved: Date.now(), sent: !!sent, values: values }));
    } catch (e) {
      // storage full: the form still works
    }
    return typed;
  }

  function restoreNote(form, key) {
    var note = document.createElement("div");
    note.className = "draft-note";
    note.setAttribute("role", "status");
    var text = document.createElement("p");
    text.textContent = "Se recuperó lo que había escrito en este navegador (aún no está guardado).";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link";
    discard.textContent = "Descartar lo recuperado";
    discard.addEventListener("click", function () {
      store.removeItem(key);
      window.location.reload();
    });
    note.appendChild(text);
    note.appendChild(discard);
    form.insertBefore(note, form.firstChild);
  }

  function ping() {
    if (pinging || !person) return Promise.resolve(true);
    pinging = true;
    return fetch("/sesion/activa", { credentials: "same-origin", cache: "no-store", redirect: "manual" })
      .then(function (resp) {
        pinging = false;
        if (resp.status === 204) {
          lastContact = Date.now();
          return true;
        }
        return false;
      })
      .catch(function () {
        pinging = false;
        return true; // offline for a moment: let the submit itself decide
      });
  }

  function expired() {
    var next = window.location.pathname;
    window.location.assign("/login?motivo=expirada&next=" + encodeURIComponent(next));
  }

  function typing() {
    if (person && idleMs && Date.now() - lastContact >= pingEveryMs) ping();
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[method=post]"), function (form) {
    var drafted = !!form.querySelector("input[name=submission_token]");
    var key = keyOf(form);
    var timer = null;

    if (drafted && store && person) {
      var draft = readDraft(key);
      var shownWithErrors = form.querySelector(".form-errors, .field-error");
      // A form the server sent back with what was typed (a check step) has lost nothing.
      if (draft && !shownWithErrors && !sameAsShown(form, draft.values)) {
        fill(form, draft.values);
        restoreNote(form, key);
      }
      if (draft && draft.sent) save(form, false); // back on its form: not saved after all
    }

    form.addEventListener("input", function () {
      typing();
      if (!drafted) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { save(form, false); }, 400);
    });
    form.addEventListener("change", function () { if (drafted) save(form, false); });

    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sending")) {
        event.preventDefault(); // a second click while the first is on its way
        return;
      }
      if (form.classList.contains("signout")) {
        if (store) {
          clearDrafts();
          store.removeItem(OWNER);
        }
        return;
      }
      if (drafted) save(form, true);
      // A session idle for long may have expired: ask before sending, so what was typed
      // goes back into this form after signing in instead of to a sign-in page.
      if (person && idleMs && Date.now() - lastContact >= idleMs / 2) {
        event.preventDefault();
        ping().then(function (alive) {
          if (!alive) return expired();
          form.setAttribute("data-sending", "1");
          disable(form);
          form.submit();
        });
        return;
      }
      form.setAttribute("data-sending", "1");
      // After this event, so the pressed button's own value is still sent.
      window.setTimeout(function () { disable(form); }, 0);
    });
  });

  function disable(form) {
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]"), function (b) {
      b.disabled = true;
      b.setAttribute("aria-busy", "true");
    });
  }

  // Back from the browser's cache (back button): the form may be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    Array.prototype.forEach.call(document.querySelectorAll("form[data-sending]"), function (form) {
      form.removeAttribute("data-sending");
      Array.prototype.forEach.call(form.querySelectorAll("[aria-busy]"), function (b) {
        b.disabled = false;
        b.removeAttribute("aria-busy");
      });
    });
  });
})();
