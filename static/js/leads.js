// The booth's lead scanner. Staff scan a visitor's badge with the camera or
// a handheld scanner; the server records the visitor as a lead of the
// exhibitor, and staff rate the lead and note what was said. When the
// network is gone it checks the badge's signature here, with the keys the
// server published, and keeps the scan on the device until it can be sent.
(() => {
  "use strict";

  const root = document.getElementById("booth");
  if (!root) return;

  const SCAN_WAIT_MS = 3000; // a server slower than this counts as gone: the visitor is waiting
  const SYNC_WAIT_MS = 8000;
  const RETRY_EVERY_MS = 15000;
  const KEYS_EVERY_MS = 300000; // as long as the server lets the key set be cached
  const JWKS = "/.well-known/jwks.json";

  const $ = (id) => document.getElementById(id);
  const exhibitorId = root.dataset.exhibitor;
  const eventId = root.dataset.event;
  const base = "/exhibitors/" + encodeURIComponent(exhibitorId);
  const msg = JSON.parse(root.dataset.messages);
  let count = Number(root.dataset.count) || 0;
  // current is what the panel shows, to rate and annotate: {token, lead}
  // for a lead the server holds, {token, entry} for a scan kept here.
  let current = null;
  let work = Promise.resolve(); // scans are sent one at a time, in order

  const saved = SproutScanPage.store("sprout.leads.");
  // Each exhibitor has its own queue: one phone may serve several booths.
  const queueName = "queue." + exhibitorId;
  const queue = saved.get(queueName, []); // {token, note, rating, queued_at}, oldest first
  let jwks = saved.get("jwks", null); // the key set as last fetched
  let keyFor = jwks ? SproutJWS.keyring(jwks) : null;
  let reachable = true;
  let lastKeys = 0;
  let pageKept = false; // by the service worker, for a reload without the network

  const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));

  // phone writes "+84912345678" as "0912 345 678", as people read it.
  function phone(e164) {
    if (!e164 || !e164.startsWith("+84")) return e164 || "";
    const d = "0" + e164.slice(3);
    if (d.length === 10) return d.slice(0, 4) + " " + d.slice(4, 7) + " " + d.slice(7);
    if (d.length === 11) return d.slice(0, 3) + " " + d.slice(3, 7) + " " + d.slice(7);
    return d;
  }

  // --- network -------------------------------------------------------------

  const { Unreachable } = SproutScanPage;
  const request = SproutScanPage.client(base);

  const isOnline = () => navigator.onLine && reachable;

  // problem is the message for an answer that is no lead.
  function problem(status, json) {
    if (status === 401 || status === 403) return msg["error.session"];
    if (status === 404) return msg["error.gone"];
    if (!json || !json.error) return msg["error.unexpected"];
    return json.error.message || msg["error.unexpected"];
  }

  // refreshKeys fetches the published keys, for the badges scanned offline
  // later; answering at all tells that the network is back.
  async function refreshKeys() {
    try {
      const res = await fetch(JWKS, { cache: "no-store" });
      if (res.status >= 500) throw new Error(res.statusText);
      const set = res.ok ? await res.json() : null;
      if (set && Array.isArray(set.keys)) {
        jwks = set.keys;
        keyFor = SproutJWS.keyring(jwks);
        saved.set("jwks", jwks);
        lastKeys = Date.now();
      }
      reachable = true;
    } catch {
      reachable = false;
    }
    showCounts();
  }

  async function refresh() {
    if (!navigator.onLine) return showCounts();
    await refreshKeys();
    if (reachable) await sync();
  }

  // sync sends the scans kept offline, oldest first, then their note and
  // rating, and forgets each one the server answered. A badge it refuses
  // is dropped, with a notice, so that one bad scan cannot hold the rest.
  let syncing = false;
  async function sync() {
    if (syncing || !queue.length || !navigator.onLine) return;
    syncing = true;
    let dropped = 0;
    try {
      while (queue.length) {
        const entry = queue[0];
        const res = await send(entry);
        if (res.stop) {
          notice(res.stop, true);
          break;
        }
        if (!res.lead) dropped++;
        forget(entry);
        if (current && current.entry === entry) current = res.lead ? { token: entry.token, lead: res.lead } : null;
      }
      reachable = true;
    } catch (err) {
      if (!(err instanceof Unreachable)) throw err;
      reachable = false;
    } finally {
      syncing = false;
      showCounts();
      if (dropped) notice(fill(msg.dropped, { n: dropped }), true);
    }
  }

  // send records one kept scan, then gives the lead the note and rating
  // taken offline, as long as staff go on changing them meanwhile. It
  // answers {lead}, {} for a scan the server refuses, or {stop: message}
  // when nothing more can be sent this session.
  async function send(entry) {
    const added = await request("POST", "/scan", { token: entry.token }, SYNC_WAIT_MS);
    if (added.status === 401 || added.status === 403 || added.status === 404) return { stop: problem(added.status, added.json) };
    if (!(added.status === 200 || added.status === 201) || !added.json || !added.json.lead) return {};
    if (added.status === 201) count++;
    let lead = added.json.lead;
    // A lead scanned before keeps what it had unless this scan says more.
    for (;;) {
      const note = entry.note || lead.note || "";
      const rating = entry.rating || lead.rating || "";
      if (note === (lead.note || "") && rating === (lead.rating || "")) return { lead };
      const upd = await request("PATCH", "/leads/" + encodeURIComponent(lead.id), { note, rating }, SYNC_WAIT_MS);
      if (upd.status !== 200 || !upd.json || !upd.json.lead) return { lead };
      lead = upd.json.lead;
    }
  }

  function forget(entry) {
    const i = queue.indexOf(entry);
    if (i >= 0) queue.splice(i, 1);
    saved.set(queueName, queue);
    showCounts();
  }

  // keep puts a scan, or a change to a lead, in the queue; a badge already
  // there stays one entry.
  function keep(token, note, rating) {
    let entry = queue.find((e) => e.token === token);
    if (!entry) {
      entry = { token, note: "", rating: "", queued_at: new Date().toISOString() };
      queue.push(entry);
    }
    if (note !== undefined) Object.assign(entry, { note, rating });
    saved.set(queueName, queue);
    showCounts();
    return entry;
  }

  // check judges a badge offline as the server would: "invalid" for one
  // forged or of another event, "ok" for a good one, "unknown" when this
  // browser has no keys or no Ed25519 to tell.
  async function check(token) {
    if (!keyFor || !crypto.subtle) return { result: "unknown" };
    let claims;
    try {
      claims = await SproutJWS.verify(token, keyFor);
    } catch {
      return { result: "unknown" };
    }
    if (!claims || claims.evt !== eventId) return { result: "invalid" };
    return { result: "ok", ticketId: claims.sub };
  }

  // --- scanning ------------------------------------------------------------

  // scan asks the server while it answers. Scans kept earlier go out
  // beside it: a lead is added once however often its badge is sent.
  async function scan(token) {
    if (isOnline() && queue.length) sync();
    if (isOnline()) {
      try {
        const res = await request("POST", "/scan", { token }, SCAN_WAIT_MS);
        reachable = true;
        return answered(token, res);
      } catch (err) {
        if (!(err instanceof Unreachable)) throw err;
        reachable = false;
      }
    }
    const v = await check(token);
    if (v.result === "invalid") return showInvalid();
    showQueued(keep(token), v.ticketId || "");
  }

  function answered(token, { status, json }) {
    if ((status === 200 || status === 201) && json && json.lead) {
      if (status === 201) count++;
      return showLead(json.lead, status === 201 ? "added" : "again", token);
    }
    const err = (json && json.error) || {};
    if (status === 400 && (!err.field || err.field === "token")) return showInvalid();
    showError(problem(status, json));
  }

  // read sends each code scanned in turn, after those before it.
  function read(token) {
    work = work.then(() => scan(token)).catch((err) => {
      console.error(err);
      showError(msg["error.unexpected"]);
    });
  }

  // --- showing -------------------------------------------------------------

  function panel(result, ticketId, title, name, contact) {
    $("lead-notice").hidden = true;
    const p = $("lead");
    p.classList.remove("error");
    if (result) {
      p.dataset.leadResult = result;
      p.dataset.ticketId = ticketId;
    } else {
      p.removeAttribute("data-lead-result");
      p.removeAttribute("data-ticket-id");
      p.classList.add("error");
    }
    $("lead-title").textContent = title;
    $("lead-name").textContent = name;
    $("lead-contact").textContent = contact;
    showCounts();
  }

  function showLead(lead, result, token) {
    const contact = [lead.email, phone(lead.phone)].filter(Boolean).join(" · ");
    panel(result, lead.ticket_id, msg["result." + result], lead.name, contact || msg.contact_hidden);
    edit({ token, lead }, lead);
    buzz(result === "added" ? 60 : [80, 60, 80]);
  }

  function showQueued(entry, ticketId) {
    panel("queued", ticketId, msg["result.queued"], "", msg.queued_detail);
    edit({ token: entry.token, entry }, entry);
    buzz(60);
  }

  // edit opens the note and rating of what the panel shows.
  function edit(what, values) {
    current = what;
    $("lead-note").value = values.note || "";
    $("lead-status").textContent = "";
    showRating(values.rating || "");
    $("lead-edit").hidden = false;
    refocus();
  }

  function showInvalid() {
    panel("invalid", "", msg["result.invalid"], "", "");
    current = null;
    $("lead-edit").hidden = true;
    buzz([250, 80, 250]);
    refocus();
  }

  function showError(text) {
    panel("", "", text, "", "");
    buzz([250, 80, 250]);
    refocus();
  }

  // showCounts shows the leads collected and the scans not sent yet.
  function showCounts() {
    $("lead-count").textContent = fill(msg.count, { n: count });
    const q = $("lead-queue");
    q.dataset.queued = String(queue.length);
    q.textContent = fill(msg.queued, { n: queue.length });
    q.hidden = !queue.length;
    // Ready as the gate is: able to check badges, and to reload, offline.
    root.dataset.offlineReady = String(!!keyFor && pageKept);
  }

  function notice(text, isError) {
    const n = $("lead-notice");
    n.textContent = text;
    n.classList.toggle("error", !!isError);
    n.hidden = !text;
  }

  function showRating(rating) {
    for (const b of document.querySelectorAll(".rate")) b.setAttribute("aria-pressed", String(b.dataset.rating === rating));
  }

  const buzz = (pattern) => navigator.vibrate && navigator.vibrate(pattern);

  // save sends the lead's note and rating together, as the API replaces
  // both. Without the network they wait in the queue with the badge, to be
  // sent with it.
  async function save(rating) {
    const shown = current;
    if (!shown) return;
    const note = $("lead-note").value;
    if (shown.lead && isOnline() && !queue.some((e) => e.token === shown.token)) {
      $("lead-status").textContent = msg.saving;
      try {
        const res = await request("PATCH", "/leads/" + encodeURIComponent(shown.lead.id), { note, rating }, SCAN_WAIT_MS);
        if (shown !== current) return;
        if (res.status === 200 && res.json && res.json.lead) {
          shown.lead = res.json.lead;
          showRating(shown.lead.rating || "");
          $("lead-status").textContent = msg.saved;
        } else {
          $("lead-status").textContent = problem(res.status, res.json);
        }
        return;
      } catch (err) {
        if (!(err instanceof Unreachable)) throw err;
        reachable = false;
      }
    }
    shown.entry = keep(shown.token, note, rating);
    if (isOnline()) sync();
    if (shown !== current) return;
    showRating(rating);
    $("lead-status").textContent = msg.saved_local;
  }

  // The handheld scanner types into #wedge, so it keeps the focus unless
  // staff are writing a note.
  function refocus() {
    if (document.activeElement === $("lead-note")) return;
    $("wedge").focus({ preventScroll: true });
  }

  // --- camera --------------------------------------------------------------

  const cameraErrors = { unavailable: "error.camera_unavailable", denied: "error.camera_denied", none: "error.no_camera" };
  const camera = SproutCamera.scanner({
    read,
    failed(why) {
      $("camera-error-text").textContent = msg[cameraErrors[why]];
    },
  });

  // --- wiring --------------------------------------------------------------

  for (const b of document.querySelectorAll(".rate")) {
    // Tapping the rating shown again takes it off.
    b.addEventListener("click", () => {
      save(b.getAttribute("aria-pressed") === "true" ? "" : b.dataset.rating);
      refocus();
    });
  }
  $("lead-edit").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const pressed = document.querySelector('.rate[aria-pressed="true"]');
    save(pressed ? pressed.dataset.rating : "");
    $("lead-note").blur();
    refocus();
  });
  $("camera-retry").addEventListener("click", camera.start);
  document.addEventListener("click", (ev) => {
    if (!ev.target.closest("input, textarea, button, a, label, select")) refocus();
  });

  addEventListener("online", refresh);
  addEventListener("offline", showCounts);
  setInterval(() => {
    if (!reachable || queue.length || Date.now() - lastKeys >= KEYS_EVERY_MS) refresh();
  }, RETRY_EVERY_MS);

  // The service worker keeps this page and its files, so that it reloads
  // without the network; without one, only a reload needs the network.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/exhibitors/" }).catch(() => {});
    navigator.serviceWorker.ready.then((reg) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (ev) => {
        pageKept = ev.data === "kept";
        showCounts();
      };
      reg.active.postMessage({ keep: location.pathname }, [channel.port2]);
    });
  }

  showCounts();
  camera.start();
  refocus();
  refresh();
})();
