/* BinaPustaka service worker: module pages readable without a connection.
 *
 * - Pages are asked from the network first; when that works, a course page or module page the
 *   learner opened is kept ("bp-pages"), and the copy in a saved course ("bp-course-<slug>", filled
 *   by offline.js) is refreshed. When the network fails, the kept copy is served, else /offline.
 * - Only pages under /courses/ that came back 200, unredirected, as HTML and without "no-store" are
 *   kept: quiz attempts, accounts and reports never are.
 * - Static files: the kept copy at once, refreshed in the background. Course assets: network first.
 * - Everything here belongs to one signed-in learner: logging out answers with Clear-Site-Data,
 *   and offline.js deletes these caches on any page seen signed out.
 */
"use strict";

var SHELL = "bp-shell-v1";
var PAGES = "bp-pages";
var OFFLINE_URL = "/offline";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    // The offline page as an anonymous visitor sees it, plus the style sheet and scripts it uses.
    return fetch(OFFLINE_URL, {credentials: "omit"}).then(function (response) {
      if (!response.ok) { throw new Error("offline page: " + response.status); }
      return response.clone().text().then(function (html) {
        var urls = [], found, pattern = /(?:href|src)="(\/static\/[^"]+)"/g;
        while ((found = pattern.exec(html)) !== null) {
          // one entry per file: addAll refuses the same file twice (the logo is both icon and image;
          // sprite references differ only by their #fragment)
          var url = found[1].replace(/&amp;/g, "&").split("#")[0];
          if (urls.indexOf(url) === -1) { urls.push(url); }
        }
        return cache.put(OFFLINE_URL, response).then(function () { return cache.addAll(urls); });
      });
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("bp-shell-") === 0 && n !== SHELL; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function keepable(response, url) {
  var type = response.headers.get("Content-Type") || "";
  var control = response.headers.get("Cache-Control") || "";
  return response.ok && !response.redirected && response.type === "basic" && type.indexOf("text/html") === 0 &&
    control.indexOf("no-store") === -1 && /^\/courses\/[^/]+\/([^/]+\/)?$/.test(url.pathname);
}

/* Put a fresh copy in "bp-pages" and in every saved course that already holds this page. */
function keep(request, response) {
  var pages = caches.open(PAGES).then(function (cache) { return cache.put(request, response.clone()); });
  var saved = caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("bp-course-") === 0; }).map(function (name) {
      return caches.open(name).then(function (cache) {
        return cache.match(request).then(function (held) { return held ? cache.put(request, response.clone()) : null; });
      });
    }));
  });
  return Promise.all([pages, saved]);
}

function page(event) {
  var request = event.request, url = new URL(request.url), settled;
  // the worker must live until the copy is stored: promised now, while the event is dispatched
  event.waitUntil(new Promise(function (resolve) { settled = resolve; }));
  return fetch(request).then(function (response) {
    if (keepable(response, url)) { keep(request, response.clone()).then(settled, settled); } else { settled(); }
    return response;
  }, function () {
    settled();
    return caches.match(request).then(function (hit) { return hit || caches.match(OFFLINE_URL); });
  });
}

function staticFile(event) {
  var request = event.request, settled;
  event.waitUntil(new Promise(function (resolve) { settled = resolve; }));
  return caches.match(request).then(function (hit) {
    var fresh = fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(SHELL).then(function (cache) { return cache.put(request, copy); }).then(settled, settled);
      } else {
        settled();
      }
      return response;
    }, function (error) { settled(); throw error; });
    if (hit) { fresh.catch(function () {}); return hit; }
    return fresh;
  });
}

function networkFirst(request) {
  return fetch(request).catch(function () {
    return caches.match(request).then(function (hit) { return hit || Response.error(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticFile(event));
  } else if (/^\/courses\/[^/]+\/assets\//.test(url.pathname)) {
    event.respondWith(networkFirst(request));
  }
});
