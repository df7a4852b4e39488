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
  const KEYS_EVERY_MS = 300000; // how often the keys and the cancelled tickets are fetched again

  const $ = (id) => document.getElementById(id);
  const exhibitorId = root.dataset.exhibitor;
  const eventId = root.dataset.event;
  const base = "/exhibitors/" + encodeURIComponent(exhibitorId);
  const msg = JSON.parse(root.dataset.messages);
  const { Unreachable, report, background, fill } = SproutScanPage;
  let count = Number(root.dataset.count) || 0;
  // current is what the panel shows, to rate and annotate: {token, lead}
  // for a lead the server holds, {token, entry} for a scan kept here.
  let current = null;
  let work = Promise.resolve(); // scans are sent one at a time, in order

  const saved = SproutScanPage.store("leads.");
  // Each exhibitor has its own queue, and its own scans refused: one phone
  // may serve several booths. Scans kept offline wait in the queue,
  // {token, note, rating, queued_at}, oldest first.
  const refusedScans = SproutScanPage.refusals(saved, "refused." + exhibitorId);
  const outbox = SproutScanPage.outbox(saved, "queue." + exhibitorId, { send: sendKept, changed: showCounts, settled: synced });
  const queue = outbox.items;
  // data is {keys, revoked} as last fetched: what judges badges offline.
  let data = saved.get("data." + exhibitorId, null);
  let keyFor = data ? SproutJWS.keyring(data.keys) : null;
  let revoked = new Set(data ? data.revoked : []);
  let reachable = true;
  let lastKeys = 0;
  let pageKept = false; // by the service worker, for a reload without the network

  // phone writes "+84912345678" as "0912 345 678", as people read it.
  function phone(e164) {
    if (!e164 || !e164.startsWith("+84")) return e164 || "";
    const d = "0" + e164.slice(3);
    if (d.length === 10) return d.slice(0, 4) + " " + d.slice(4, 7) + " " + d.slice(7);
    if (d.length === 11) return d.slice(0, 3) + " " + d.slice(3, 7) + " " + d.slice(7);
    return d;
  }

  // --- network

  const request = SproutScanPage.client(base);

  const isOnline = () => navigator.onLine && reachable;

  // problem is the message for an answer that is no lead.
  function problem(status, json) {
    if (status === 401 || status === 403) return msg["error.session"];
    if (status === 404) return msg["error.gone"];
    if (!json || !json.error) return msg["error.unexpected"];
    return json.error.message || msg["error.unexpected"];
  }

  // refreshKeys fetches the keys and the event's cancelled tickets, for the
  // badges scanned offline later; answering at all tells that the network
  // is back.
  async function refreshKeys() {
    try {
      const d = await request("GET", "/scan/data");
      if (d.status === 200 && d.json && Array.isArray(d.json.keys)) {
        data = { keys: d.json.keys, revoked: d.json.revoked || [] };
        saved.set("data." + exhibitorId, data);
        keyFor = SproutJWS.keyring(data.keys);
        revoked = new Set(data.revoked);
        lastKeys = Date.now();
      }
      reachable = true;
    } catch (err) {
      if (!(err instanceof Unreachable)) throw err;
      reachable = false;
    }
    showCounts();
  }

  async function refresh() {
    if (!navigator.onLine) return showCounts();
    await refreshKeys();
    if (reachable) await outbox.sync();
  }

  // sendKept sends a scan kept offline, for the outbox's sync: a badge the
  // server refuses leaves the queue, so that one bad scan cannot hold the
  // rest, and is shown among the scans refused.
  async function sendKept(entry) {
    const res = await send(entry);
    if (res.stop) return res;
    if (current && current.entry === entry) current = res.lead ? { token: entry.token, lead: res.lead } : null;
    return res.lead ? {} : res;
  }

  function synced(out) {
    reachable = !out.unreachable;
    if (out.stop) notice(out.stop, true);
    if (out.refused.length) {
      refusedScans.add(
        out.refused.map(({ item, refused, word }) => {
          const c = SproutJWS.claims(item.token) || {};
          return { ticket: c.sub || "", label: "", reason: refused, word, at: item.queued_at };
        }),
      );
      notice(fill(msg.dropped, { n: out.refused.length }), true);
    }
    showCounts();
  }

  // send records one kept scan, then gives the lead the note and rating
  // taken offline, as long as staff go on changing them meanwhile. It
  // answers {lead}, {refused: why, word} for a scan the server refuses,
  // or {stop: message} when nothing more can be sent this session.
  async function send(entry) {
    const added = await request("POST", "/scan", { token: entry.token }, SYNC_WAIT_MS);
    if (added.status === 401 || added.status === 403 || added.status === 404) return { stop: problem(added.status, added.json) };
    if (!(added.status === 200 || added.status === 201) || !added.json || !added.json.lead) {
      const err = (added.json && added.json.error) || {};
      const invalid = added.status === 400 && (!err.field || err.field === "token");
      return { refused: invalid && !err.message ? msg["error.lead_token"] : problem(added.status, added.json), word: invalid ? "invalid" : "error" };
    }
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

  // keep puts a scan, or a change to a lead, in the queue; a badge already
  // there stays one entry.
  function keep(token, note, rating) {
    const entry = queue.find((e) => e.token === token) || outbox.add({ token, note: "", rating: "", queued_at: new Date().toISOString() });
    if (note !== undefined) Object.assign(entry, { note, rating });
    outbox.save();
    return entry;
  }

  // check judges a badge offline as the server would: "invalid" for a code
  // that is no ticket, one forged, of another event or cancelled, each with
  // the server's message for it; "ok" for a good one, "unknown" when this
  // browser has no keys or no Ed25519 to tell. A booth takes badges outside
  // their validity window, as the server does.
  async function check(token) {
    if (!SproutJWS.readable(token)) return { result: "invalid", message: msg["error.lead_token_unreadable"] };
    const { result, claims } = await SproutJWS.judge(token, { keyFor, event: eventId, revoked });
    if (result === "unknown" || result === "ok") return { result, ticketId: claims ? claims.sub : "" };
    return { result: "invalid", message: msg[result === "invalid" ? "error.lead_token_forged" : "error.lead_token"] };
  }

  // --- scanning

  // scan asks the server while it answers. Scans kept earlier go out
  // beside it: a lead is added once however often its badge is sent.
  async function scan(token) {
    if (isOnline() && queue.length) background(outbox.sync());
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
    if (v.result === "invalid") return showInvalid(v.message);
    showQueued(keep(token), v.ticketId || "");
  }

  function answered(token, { status, json }) {
    if ((status === 200 || status === 201) && json && json.lead) {
      if (status === 201) count++;
      return showLead(json.lead, status === 201 ? "added" : "again", token);
    }
    const err = (json && json.error) || {};
    if (status === 400 && (!err.field || err.field === "token")) return showInvalid(err.message || msg["error.lead_token"]);
    showError(problem(status, json));
  }

  // read sends each code scanned in turn, after those before it.
  function read(token) {
    work = work
      .then(() => scan(token))
      .catch((err) => {
        report(err);
        showError(msg["error.unexpected"]);
      })
      .catch(report);
  }

  // --- showing

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

  // showInvalid shows why a badge is refused: a code that is no ticket, a
  // forged one, or one not valid at this event.
  function showInvalid(why) {
    panel("invalid", "", why, "", "");
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
    if (isOnline()) background(outbox.sync());
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

  // --- camera

  const cameraErrors = { unavailable: "error.camera_unavailable", denied: "error.camera_denied", none: "error.no_camera" };
  const camera = SproutCamera.scanner({
    read,
    failed(why) {
      $("camera-error-text").textContent = msg[cameraErrors[why]];
    },
  });

  // --- wiring

  for (const b of document.querySelectorAll(".rate")) {
    // Tapping the rating shown again takes it off.
    b.addEventListener("click", () => {
      background(save(b.getAttribute("aria-pressed") === "true" ? "" : b.dataset.rating));
      refocus();
    });
  }
  $("lead-edit").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const pressed = document.querySelector('.rate[aria-pressed="true"]');
    background(save(pressed ? pressed.dataset.rating : ""));
    $("lead-note").blur();
    refocus();
  });
  $("camera-retry").addEventListener("click", () => background(camera.start()));
  document.addEventListener("click", (ev) => {
    if (!ev.target.closest("input, textarea, button, a, label, select")) refocus();
  });

  addEventListener("online", () => background(refresh()));
  addEventListener("offline", showCounts);
  setInterval(() => {
    if (!reachable || queue.length || Date.now() - lastKeys >= KEYS_EVERY_MS) background(refresh());
  }, RETRY_EVERY_MS);

  // The service worker keeps this page and its files, so that it reloads
  // without the network; without one, only a reload needs the network.
  background(
    SproutScanPage.keepOffline("/exhibitors/").then((kept) => {
      pageKept = kept;
      showCounts();
    }),
  );

  showCounts();
  background(camera.start());
  refocus();
  background(refresh());
})();
