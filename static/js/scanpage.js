// The core the gate and the booth scanner share: what they keep on the
// device and for whom, how they ask the server, the queue of scans kept
// offline and its sync, the scans the server refused later, and the
// service worker that lets them reload without the network. Both stay open
// all day, and go on working when the network or the storage fails them.
// Shared by gate.js and leads.js.
const SproutScanPage = (() => {
  "use strict";

  const PREFIX = "sprout."; // every name this device keeps starts so
  const CACHES = "sprout-"; // and every cache the service worker fills

  // Unreachable is what request throws when the server cannot answer.
  class Unreachable extends Error {}

  // report logs what went wrong in work nobody waits for.
  const report = (err) => console.error(err);

  // background runs a promise nobody waits for, and reports its failure.
  const background = (p) => {
    Promise.resolve(p).catch(report);
  };

  const locale = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
  const numFmt = new Intl.NumberFormat(locale);

  // fill puts vars into a message's {placeholders}, numbers grouped as the
  // page's language writes them (1.500, 1,500).
  const fill = (text, vars) =>
    String(text).replace(/\{(\w+)\}/g, (m, k) => (k in vars ? (typeof vars[k] === "number" ? numFmt.format(vars[k]) : String(vars[k])) : m));

  const zone = "Asia/Ho_Chi_Minh";
  const timeFmt = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: "2-digit", minute: "2-digit" });
  const dayFmt = new Intl.DateTimeFormat(locale, { timeZone: zone, day: "2-digit", month: "2-digit" });

  // when writes a moment as the hour, and the day when it is not today.
  function when(iso) {
    const d = new Date(iso);
    if (!iso || isNaN(d)) return "";
    return dayFmt.format(d) === dayFmt.format(new Date()) ? timeFmt.format(d) : timeFmt.format(d) + " " + dayFmt.format(d);
  }

  // --- the device, for one user at a time

  // forgetDevice removes everything the scanners kept in localStorage.
  function forgetDevice() {
    try {
      for (const name of Object.keys(localStorage)) if (name.startsWith(PREFIX)) localStorage.removeItem(name);
    } catch {
      // Storage forbidden: there is nothing kept either.
    }
  }

  // claim binds what this device keeps to the user signed in (the page's
  // <meta name="sprout-user">): when another user kept it, it is all
  // forgotten first (queue, refused scans, cancelled tickets, who is
  // inside, pages kept offline), as signing out does. It answers once the
  // pages kept are gone too.
  function claim() {
    const meta = document.querySelector('meta[name="sprout-user"]');
    const user = meta ? meta.content : "";
    let owner = null;
    try {
      owner = localStorage.getItem(PREFIX + "owner");
    } catch {
      return Promise.resolve();
    }
    if (owner === user) return Promise.resolve();
    forgetDevice();
    try {
      localStorage.setItem(PREFIX + "owner", user);
    } catch {
      // Storage full or forbidden: nothing is kept for anyone.
    }
    if (owner === null || !window.caches) return Promise.resolve();
    return caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(CACHES)).map((n) => caches.delete(n))))
      .catch(report);
  }
  const claimed = claim();

  // store keeps JSON values in localStorage under names that start with
  // "sprout." and prefix.
  function store(prefix) {
    prefix = PREFIX + prefix;
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

  // --- the server

  // client answers request(method, path, body, wait), which calls base +
  // path with the page's session and answers {status, json}. A network
  // failure, a timeout, a server error or a busy server (429) throws
  // Unreachable: the same request may well succeed later.
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
        if (res.status >= 500 || res.status === 429) throw new Error(res.statusText);
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

  // --- the queue of scans kept offline

  // outbox is the queue kept under name in saved, oldest first. send(item)
  // sends one and answers {} when the server took it, {refused: reason,
  // word, ...} when it will never take it, or {stop: message} when nothing more
  // can be sent now; it throws Unreachable when the server cannot answer.
  // changed hears every change; settled hears how each sync ended:
  // {sent, refused: [{item, refused, word, ...}], stop, unreachable}.
  function outbox(saved, name, { send, changed = () => {}, settled = () => {} }) {
    const items = saved.get(name, []);
    let busy = false;

    function save() {
      saved.set(name, items);
      changed();
    }

    function remove(item) {
      const i = items.indexOf(item);
      if (i >= 0) items.splice(i, 1);
      save();
    }

    // sync sends the queue, one item after another, and forgets each one
    // the server answered; it never fails, and answers once it is done.
    async function sync() {
      if (busy || !items.length || !navigator.onLine) return;
      busy = true;
      const out = { sent: 0, refused: [], stop: "", unreachable: false };
      try {
        while (items.length) {
          const item = items[0];
          const res = await send(item);
          if (res.stop) {
            out.stop = res.stop;
            break;
          }
          remove(item);
          if (res.refused) out.refused.push({ ...res, item });
          else out.sent++;
        }
      } catch (err) {
        if (err instanceof Unreachable) out.unreachable = true;
        else report(err);
      } finally {
        busy = false;
      }
      try {
        changed();
        settled(out);
      } catch (err) {
        report(err);
      }
    }

    return {
      items,
      get busy() {
        return busy;
      },
      add(item) {
        items.push(item);
        save();
        return item;
      },
      remove,
      save,
      sync,
    };
  }

  // refusals shows the scans kept offline that the server refused later, in
  // the page's #refused section, until staff dismiss them: a scan refused
  // is never dropped unseen. Each entry is {ticket, label, reason, word, at}.
  function refusals(saved, name) {
    const $ = (id) => document.getElementById(id);
    const box = $("refused");
    const entries = saved.get(name, []);

    function render() {
      const list = $("refused-list");
      list.replaceChildren(
        ...entries.map((e) => {
          const li = document.createElement("li");
          li.dataset.ticketId = e.ticket || "";
          li.dataset.reason = e.word || "";
          const who = document.createElement("strong");
          who.textContent = e.label || e.ticket || "";
          const at = document.createElement("small");
          at.textContent = when(e.at);
          const why = document.createElement("span");
          why.textContent = e.reason;
          li.append(who, " ", at, " ", why);
          return li;
        }),
      );
      box.dataset.count = String(entries.length);
      box.hidden = !entries.length;
    }

    $("refused-dismiss").addEventListener("click", () => {
      entries.length = 0;
      saved.set(name, entries);
      render();
    });
    render();

    return {
      add(more) {
        if (!more.length) return;
        entries.push(...more);
        saved.set(name, entries);
        render();
      },
    };
  }

  // --- reloading without the network

  // keepOffline registers the service worker for scope and asks it to keep
  // this page, so that it reloads without the network. It answers whether
  // the page is kept, and never fails.
  async function keepOffline(scope) {
    await claimed;
    if (!("serviceWorker" in navigator)) return false;
    try {
      await navigator.serviceWorker.register("/sw.js", { scope });
      const reg = await navigator.serviceWorker.ready;
      return await new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (ev) => resolve(ev.data === "kept");
        reg.active.postMessage({ keep: location.pathname }, [channel.port2]);
      });
    } catch (err) {
      report(err);
      return false;
    }
  }

  return { Unreachable, report, background, fill, when, store, client, outbox, refusals, keepOffline, forgetDevice };
})();
