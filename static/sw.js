// The scanners' service worker: it keeps the gate pages, the booth lead
// scanners and the files they load, so that a scanner reloads and goes on
// scanning without the network. Everything else under its scopes (the gate
// registers it for /events/, the booth for /exhibitors/) passes by
// untouched.
"use strict";

// One cache for both scanners, which share most of their files: its
// version changes with the list, so that older copies are dropped.
const CACHE = "sprout-gate-v2";
const FILES = [
  "/static/css/gate.css",
  "/static/css/leads.css",
  "/static/js/jws.js",
  "/static/js/camera.js",
  "/static/js/scanpage.js",
  "/static/js/gate.js",
  "/static/js/leads.js",
  "/static/vendor/jsqr/jsQR.js",
  "/static/img/sprout.svg",
];
const PAGES = [/^\/events\/[^/]+\/gate$/, /^\/exhibitors\/[^/]+\/scan$/];
const isPage = (path) => PAGES.some((p) => p.test(path));

self.addEventListener("install", (ev) => {
  ev.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (ev) => {
  ev.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("sprout-gate-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

// keep stores a good answer; a redirect (to the login page) is not one.
// Signing out takes it all away again (Clear-Site-Data: "storage").
function keep(path, res) {
  if (!res.ok || res.redirected || res.type !== "basic") return Promise.resolve(false);
  return caches
    .open(CACHE)
    .then((c) => c.put(path, res))
    .then(() => true);
}

// The page asks for itself to be kept: it was loaded before this worker
// could see it.
self.addEventListener("message", (ev) => {
  const path = ev.data && ev.data.keep;
  const port = ev.ports[0];
  if (!port || typeof path !== "string" || !isPage(path)) return;
  ev.waitUntil(
    fetch(path, { credentials: "same-origin", redirect: "manual", cache: "no-store" })
      .then((res) => keep(path, res))
      .catch(() => false)
      .then((kept) => kept || caches.match(path).then((hit) => !!hit))
      .then((kept) => port.postMessage(kept ? "kept" : "not kept")),
  );
});

// Network first, so a scanner online always runs the current page and files;
// the copy kept is for when the network is gone.
self.addEventListener("fetch", (ev) => {
  const url = new URL(ev.request.url);
  if (ev.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!isPage(url.pathname) && !FILES.includes(url.pathname)) return;
  ev.respondWith(
    fetch(ev.request)
      .then((res) => {
        ev.waitUntil(keep(url.pathname, res.clone()).catch(() => false));
        return res;
      })
      .catch(() => caches.match(url.pathname).then((hit) => hit || Response.error())),
  );
});
