// What the gate and the booth scanner keep on the device and ask the
// server: both stay open all day, and go on working when the network or
// the storage fails them. Shared by gate.js and leads.js.
const SproutScanPage = (() => {
  "use strict";

  // Unreachable is what request throws when the server cannot answer.
  class Unreachable extends Error {}

  // store keeps JSON values in localStorage under names that start with
  // prefix.
  function store(prefix) {
    return {
      get(name, fallback) {
        try {
          const v = localStorage.getItem(prefix + name);
          return v === null ? fallback : JSON.parse(v);
        } catch {
          return fallback;
        }
      },
      set(name, value) {
        try {
          localStorage.setItem(prefix + name, JSON.stringify(value));
        } catch {
          // Storage full or forbidden: the page works on, and forgets on reload.
        }
      },
    };
  }

  // client answers request(method, path, body, wait), which calls base +
  // path with the page's session and answers {status, json}. A network
  // failure, a timeout or a server error throws Unreachable.
  function client(base) {
    const csrf = document.querySelector('meta[name="csrf-token"]');

    async function request(method, path, body, wait = 8000, retried = false) {
      const stop = new AbortController();
      const timer = setTimeout(() => stop.abort(), wait);
      let res, json;
      try {
        res = await fetch(base + path, {
          method,
          signal: stop.signal,
          cache: "no-store",
          credentials: "same-origin",
          headers: body ? { "Content-Type": "application/json", "X-CSRF-Token": csrf.content } : {},
          body: body ? JSON.stringify(body) : undefined,
        });
        if (res.status >= 500) throw new Error(res.statusText);
        json = (res.headers.get("Content-Type") || "").startsWith("application/json") ? await res.json() : null;
      } catch {
        throw new Unreachable();
      } finally {
        clearTimeout(timer);
      }
      // A refused CSRF token answers with a page, not JSON.
      if (res.status === 403 && !json && !retried && (await renewCsrf())) return request(method, path, body, wait, true);
      return { status: res.status, json };
    }

    // renewCsrf takes a fresh token from the page: the one it came with
    // expires while the page stays open all day, or offline.
    async function renewCsrf() {
      try {
        const res = await fetch(location.pathname, { cache: "no-store", credentials: "same-origin" });
        if (!res.ok || res.redirected) return false;
        const meta = new DOMParser().parseFromString(await res.text(), "text/html").querySelector('meta[name="csrf-token"]');
        if (!meta || !meta.content || meta.content === csrf.content) return false;
        csrf.content = meta.content;
        return true;
      } catch {
        return false;
      }
    }

    return request;
  }

  return { Unreachable, store, client };
})();
