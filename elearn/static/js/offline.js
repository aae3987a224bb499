/* Reading without a connection (progressive enhancement; every page works without it).
 * - Signed in: registers the service worker (sw.js); signed out: removes it and every saved page, so
 *   nobody reads another person's pages on a shared phone.
 * - Shows a banner while offline.
 * - "Tandai selesai" while offline waits in the outbox (outbox.js) and is sent when online; the
 *   server's answer wins (a refusal is shown).
 * - The course page's "Simpan untuk dibaca offline": stores the course's pages and files, shows the
 *   size first, refreshes the copy when a new version is published, and removes it on request.
 * Words come from data-msg-* attributes rendered by the server in the learner's language. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) { return; }
  var text = function (el, name) { return el.getAttribute("data-msg-" + name) || ""; };
  var main = document.getElementById("main");

  function notice(message, kind) {
    var p = document.createElement("p");
    p.className = "flash flash-" + kind;
    p.setAttribute("role", "status");
    p.textContent = message;
    if (main) { main.insertBefore(p, main.firstChild); }
  }

  /* --- the service worker, or none at all when signed out ---------------------------------- */
  if ("serviceWorker" in navigator) {
    if (me.getAttribute("data-signed-in") === "1") {
      navigator.serviceWorker.register(me.getAttribute("data-sw"), {scope: "/"}).catch(function () {});
    } else if (!document.querySelector("[data-offline-fallback]")) {
      // a page the server rendered for a signed-out visitor (the offline fallback is not one: it is
      // the same for everyone and stored that way)
      navigator.serviceWorker.getRegistrations().then(function (all) {
        all.forEach(function (r) { r.unregister(); });
      });
      if (window.caches) {
        caches.keys().then(function (names) {
          names.forEach(function (n) { if (n.indexOf("bp-") === 0) { caches.delete(n); } });
        });
      }
    }
  }

  /* --- offline banner ---------------------------------------------------------------------- */
  var banner = null;
  function showState() {
    if (navigator.onLine === false && !banner && main) {
      banner = document.createElement("p");
      banner.className = "offline-banner";
      banner.setAttribute("role", "status");
      banner.textContent = text(me, "offline");
      main.insertBefore(banner, main.firstChild);
    } else if (navigator.onLine !== false && banner) {
      banner.remove();
      banner = null;
    }
  }
  window.addEventListener("offline", showState);
  window.addEventListener("online", showState);
  showState();

  /* --- "Tandai selesai" while offline -------------------------------------------------------- */
  var Outbox = window.BinaPustakaOutbox;
  if (Outbox) {
    document.querySelectorAll("form[data-offline-complete]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (navigator.onLine !== false) { return; }
        event.preventDefault();
        var pairs = [];
        new FormData(form).forEach(function (v, k) { pairs.push([k, String(v)]); });
        var url = form.getAttribute("data-offline-complete");
        Outbox.add({kind: "complete", key: "complete " + url, url: url, body: pairs}).then(function () {
          var done = document.createElement("p");
          done.className = "done";
          done.textContent = text(form, "queued");
          form.replaceWith(done);
        });
      });
    });
    Outbox.listen(function (entry, response) {
      if (entry.kind !== "complete" || !response) { return; }
      response.json().then(function (reply) {
        if (reply.code === "completed") { notice(text(me, "synced"), "success"); } else { notice(reply.message, "error"); }
      }, function () {});
    });
    if (navigator.onLine !== false) { Outbox.flush(); }
  }

  /* --- "Simpan untuk dibaca offline" ----------------------------------------------------------- */
  var section = document.querySelector("section[data-offline-bundle]");
  if (!section || !window.caches || !("serviceWorker" in navigator) || !window.fetch) { return; }
  var slug = section.getAttribute("data-course");
  var cacheName = "bp-course-" + slug, metaUrl = "/courses/" + slug + "/offline-copy";
  var state = section.querySelector(".offline-state");
  var saveButton = section.querySelector("[data-save]"), removeButton = section.querySelector("[data-remove]");
  section.hidden = false;

  function size(bytes) {
    return bytes < 1048576 ? Math.max(1, Math.round(bytes / 1024)) + " KB" : (bytes / 1048576).toFixed(1) + " MB";
  }
  function say(name, bytes) { state.textContent = text(section, name).replace("{size}", size(bytes || 0)); }
  function stored() {
    return caches.has(cacheName).then(function (has) {
      if (!has) { return null; }
      return caches.open(cacheName).then(function (c) { return c.match(metaUrl); })
        .then(function (r) { return r ? r.json() : null; });
    });
  }
  function show(copy) {
    saveButton.hidden = !!copy;
    removeButton.hidden = !copy;
    if (copy) { say("saved", copy.size); }
  }
  function bundle() {
    return fetch(section.getAttribute("data-offline-bundle"), {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) { throw new Error("bundle " + r.status); }
      return r.json();
    });
  }
  /* Everything is fetched first and only then replaces the old copy: a dropped link leaves it intact. */
  function store(b) {
    var urls = b.pages.concat(b.assets);
    return Promise.all(urls.map(function (url) {
      return fetch(url, {credentials: "same-origin", headers: {"X-Offline-Save": "1"}}).then(function (r) {
        if (!r.ok || r.redirected) { throw new Error(url + " " + r.status); }
        return [url, r];
      });
    })).then(function (pairs) {
      return caches.delete(cacheName).then(function () { return caches.open(cacheName); }).then(function (cache) {
        var copy = {version: b.version, size: b.size};
        return Promise.all(pairs.map(function (p) { return cache.put(p[0], p[1]); })).then(function () {
          return cache.put(metaUrl, new Response(JSON.stringify(copy), {headers: {"Content-Type": "application/json"}}));
        }).then(function () { return copy; });
      });
    });
  }
  function save(afterwards) {
    say("saving");
    saveButton.disabled = true;
    return bundle().then(store).then(function (copy) {
      show(copy);
      if (afterwards) { say(afterwards, copy.size); }
    }, function () { say("failed"); }).then(function () { saveButton.disabled = false; });
  }

  saveButton.addEventListener("click", function () { save(null); });
  removeButton.addEventListener("click", function () {
    caches.delete(cacheName).then(function () { show(null); say("removed"); });
  });
  stored().then(function (copy) {
    show(copy);
    if (navigator.onLine === false) { return; }
    if (copy && String(copy.version) !== section.getAttribute("data-version")) {
      save("updated");  // a new version was published: refresh the saved copy
    } else if (!copy) {
      bundle().then(function (b) { say("size", b.size); }, function () {});
    }
  });
})();
