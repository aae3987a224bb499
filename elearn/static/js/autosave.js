/* Quiz attempt page: answers saved in the background as they change (the page works without this:
 * "Simpan jawaban" and "Kirim jawaban" are plain form buttons). Offline, saves and the submit wait in
 * the outbox (outbox.js) and are sent when the link returns. Words come from the form's data-msg-*
 * attributes, rendered by the server in the learner's language. */
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  var Outbox = window.BinaPustakaOutbox;
  if (!form || !Outbox || !window.fetch || !window.URLSearchParams) { return; }
  var key = "attempt-" + form.getAttribute("data-attempt");
  var status = form.querySelector(".save-status");
  var msg = function (name) { return form.getAttribute("data-msg-" + name) || ""; };

  function say(text, pending) {
    status.textContent = text;
    status.classList.toggle("pending", !!pending);
  }

  function fields() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) { pairs.push([name, String(value)]); });
    return pairs;
  }

  /* Put the answers of a snapshot back into the form (a reload while entries still wait). */
  function fill(pairs) {
    var values = {};
    pairs.forEach(function (p) { (values[p[0]] = values[p[0]] || []).push(p[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.type === "submit") { return; }
      var chosen = values[el.name] || [];
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = chosen.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" || el.type === "text") {
        el.value = chosen.length ? chosen[0] : "";
      }
    });
  }

  function pendingHere() {
    return Outbox.all().then(function (entries) {
      return entries.filter(function (e) { return e.key === key; });
    });
  }

  /* What waits decides the words: a queued submit says so, saves say "on this device". */
  function refresh() {
    return pendingHere().then(function (left) {
      if (left.some(function (e) { return e.kind === "submit"; })) {
        say(msg("submit-queued"), true);
      } else if (left.length) {
        say(msg("pending"), true);
      } else if (status.textContent) {
        say(msg("saved"), false);
      }
    });
  }

  Outbox.listen(function (entry, response) {
    if (entry.key !== key) { return; }
    if (!response) { refresh(); return; }
    if (entry.kind === "submit") {  // the queued submit went through: show its result page
      window.location.assign(response.url);
      return;
    }
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") === -1) { refresh(); return; }
    response.json().then(function (reply) {
      if (reply.code === "saved") { refresh(); return; }
      say(reply.message, true);  // already submitted, or the deadline passed: nothing was changed
      if (reply.result_url) {
        var link = document.createElement("a");
        link.href = reply.result_url;
        link.textContent = " " + msg("result");
        status.appendChild(link);
      }
    });
  });

  function save() {
    say(msg("saving"), false);
    Outbox.add({kind: "save", key: key, url: form.getAttribute("data-autosave"), body: fields()})
      .then(function () { return navigator.onLine === false ? false : Outbox.flush(); })
      .then(refresh, function () { say(msg("pending"), true); });
  }

  form.addEventListener("change", save);
  /* Text typed without leaving the field is saved too, once the learner pauses. */
  var typing = null;
  form.addEventListener("input", function (event) {
    if (event.target.type !== "text") { return; }
    say("", false);  // not saved yet: "Tersimpan" would be untrue until the pause
    window.clearTimeout(typing);
    typing = window.setTimeout(save, 2000);
  });

  form.addEventListener("submit", function (event) {
    if (navigator.onLine !== false) { return; }  // online: the ordinary form post
    event.preventDefault();
    var submitter = event.submitter;
    if (submitter && submitter.getAttribute("formaction")) { save(); return; }  // "Simpan jawaban"
    Outbox.add({kind: "submit", key: key, url: form.action, body: fields()}).then(refresh);
  });

  /* Entries left from before a reload: show their answers (newer than the server's), then send them. */
  pendingHere().then(function (left) {
    var saves = left.filter(function (e) { return e.kind !== "complete"; });
    if (saves.length) {
      fill(saves[saves.length - 1].body);
      say(msg("pending"), true);
    }
    return Outbox.flush();
  }).then(refresh, function () {});

  /* A dropped link does not always fire "online" when it returns: try again now and then. */
  window.setInterval(function () {
    pendingHere().then(function (left) { if (left.length && navigator.onLine !== false) { Outbox.flush(); } });
  }, 15000);
})();
