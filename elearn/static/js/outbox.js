/* BinaPustaka outbox: actions made on a phone whose link dropped, kept in IndexedDB and sent when the
 * link returns, oldest first. Each entry: {id (auto, the order), url, body: [[name, value], …],
 * kind: "save" | "submit" | "complete", key (what it is about, e.g. "attempt-12"), user, at}.
 * Entries are sent only while their own learner is signed in (the page's data-user), with the page's
 * current CSRF token (a new session has a new one); another learner's entries are dropped unsent.
 * Used by autosave.js (quiz answers) and offline.js (modules marked complete). No dependencies. */
(function () {
  "use strict";
  var DB = "binapustaka", STORE = "outbox";

  function open() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, {keyPath: "id", autoIncrement: true});
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), result;
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        result = work(tx.objectStore(STORE));
        if (result && "onsuccess" in result) {
          var req = result;
          req.onsuccess = function () { result = req.result; };
        }
      });
    });
  }

  var flushing = null;
  var marker = document.querySelector("script[data-user]");
  var user = marker ? marker.getAttribute("data-user") : "";

  function currentToken() {
    var field = document.querySelector("input[name=csrf_token]");
    return field ? field.value : null;
  }
  var listeners = [];

  var Outbox = {
    add: function (entry) {
      entry.at = Date.now();
      entry.user = user;
      return run("readwrite", function (store) { return store.add(entry); });
    },
    all: function () {
      return run("readonly", function (store) { return store.getAll(); }).then(function (entries) {
        return (entries || []).sort(function (a, b) { return a.id - b.id; });
      });
    },
    remove: function (id) {
      return run("readwrite", function (store) { store.delete(id); });
    },
    /* Called after each entry is sent: listener(entry, response) or listener(entry, null) when the
     * link is still down. */
    listen: function (fn) { listeners.push(fn); },
    /* Send every entry, oldest first; stop at the first one the link cannot carry (kept for later). */
    flush: function () {
      if (flushing) {  // entries added meanwhile go in the next round
        return flushing.then(function () { return Outbox.flush(); });
      }
      if (!user) { return Promise.resolve(false); }  // signed out: kept until the learner is back
      flushing = Outbox.all().then(function (entries) {
        var chain = Promise.resolve(true), token = currentToken();
        entries.forEach(function (entry) {
          chain = chain.then(function (going) {
            if (!going) { return false; }
            if (entry.user !== user) { return Outbox.remove(entry.id).then(function () { return true; }); }
            var body = entry.body.map(function (p) { return p[0] === "csrf_token" && token ? [p[0], token] : p; });
            return fetch(entry.url, {
              method: "POST", credentials: "same-origin", headers: {"Accept": "application/json"},
              body: new URLSearchParams(body)
            }).then(function (response) {
              var signedOut = response.redirected && new URL(response.url).pathname === "/login";
              if (response.status >= 500 || signedOut) {  // not taken now (or signed out): keep, retry later
                listeners.forEach(function (fn) { fn(entry, null); });
                return false;
              }
              // done, or refused for good (403/404/400): either way not to be sent again
              return Outbox.remove(entry.id).then(function () {
                listeners.forEach(function (fn) { fn(entry, response); });
                return true;
              });
            }, function () {
              listeners.forEach(function (fn) { fn(entry, null); });
              return false;
            });
          });
        });
        return chain;
      }).catch(function () { return false; }).then(function (all) {
        flushing = null;
        return all;
      });
      return flushing;
    }
  };

  window.addEventListener("online", function () { Outbox.flush(); });
  window.BinaPustakaOutbox = Outbox;
})();
