// The gate scanner. It reads ticket QR codes from the camera or a handheld
// scanner and asks the server. When the network is gone it checks the
// ticket's signature here, with the keys the server published, lets the
// visitor in, and queues the scan to send once the network is back.
(() => {
  "use strict";

  const root = document.getElementById("gate");
  if (!root) return;

  const ONLINE_WAIT_MS = 1500; // a server slower than this counts as gone
  const DATA_EVERY_MS = 60000;
  const RETRY_EVERY_MS = 15000;
  const LEEWAY_S = 30; // the server's leeway: gate clocks drift
  const STALE_AFTER_MS = 8000;

  const $ = (id) => document.getElementById(id);
  const eventId = root.dataset.event;
  const base = "/events/" + encodeURIComponent(eventId) + "/gate";
  const msg = JSON.parse(root.dataset.messages);
  const typeNames = JSON.parse(root.dataset.types || "{}");
  const questions = JSON.parse(root.dataset.questions || "{}");
  const { Unreachable, report, background, fill, when } = SproutScanPage;

  const saved = SproutScanPage.store("gate." + eventId + ".");
  let gateData = saved.get("data", null); // {keys, revoked, skew} as last fetched
  // serverNow is the time by the server's clock, as last learnt: a phone's
  // clock may be wrong, and the server's is the one tickets are dated by.
  const serverNow = () => Date.now() + ((gateData && gateData.skew) || 0);
  let revoked = new Set(gateData ? gateData.revoked : []);
  let keyFor = gateData ? SproutJWS.keyring(gateData.keys) : null; // the keys last fetched, imported as needed
  const inside = saved.get("inside", {}); // ticket id → first entry, as this gate knows it
  let reachable = true;
  let gate = saved.get("gate", "");
  let direction = saved.get("direction", "in");
  let last = null; // the last entry let through, for undo
  let work = Promise.resolve(); // scans are decided one at a time, in order
  let pageKept = false;
  let lastRefresh = 0;

  const nonce = () =>
    crypto.randomUUID
      ? crypto.randomUUID()
      : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

  // --- network

  const request = SproutScanPage.client(base);

  const isOnline = () => navigator.onLine && reachable;

  function setReachable(ok) {
    reachable = ok;
    showNet();
    if (ok) background(outbox.sync());
  }

  function showNet() {
    const net = $("net");
    const online = isOnline();
    net.dataset.state = online ? "online" : "offline";
    net.textContent = (online ? msg.online : msg.offline) + (queue.length ? " · " + fill(msg.queued, { n: queue.length }) : "");
    const ready = pageKept && !!gateData;
    root.dataset.offlineReady = String(ready);
    $("offline-ready").hidden = !ready;
  }

  // refresh fetches what the gate needs offline, and the counts.
  async function refresh() {
    lastRefresh = Date.now();
    if (!navigator.onLine) return showNet();
    try {
      const d = await request("GET", "/data");
      if (d.status === 401) return notice(msg["error.session"], true);
      if (d.status === 200 && d.json) {
        // skew is how far the server's clock is from this device's: tickets
        // are judged, and scans dated, by the server's time.
        const skew = Date.parse(d.json.generated_at) - Date.now() || 0;
        gateData = { keys: d.json.keys || [], revoked: d.json.revoked || [], skew };
        saved.set("data", gateData);
        revoked = new Set(gateData.revoked);
        keyFor = SproutJWS.keyring(gateData.keys);
      }
      await loadStats();
      setReachable(true);
    } catch (err) {
      if (!(err instanceof Unreachable)) throw err;
      setReachable(false);
    }
  }

  async function loadStats() {
    const s = await request("GET", "/stats");
    if (s.status === 200 && s.json) showStats(s.json.checked_in, s.json.inside);
  }

  // statsSoon updates the counts after a burst of scans has settled.
  let statsTimer = 0;
  function statsSoon() {
    clearTimeout(statsTimer);
    statsTimer = setTimeout(() => loadStats().catch(() => {}), 1000);
  }

  // The scans let through offline wait in the queue, oldest first, to be
  // sent once the server answers again; those it refuses stay on the page,
  // with the reason, until staff have seen them.
  const refusedScans = SproutScanPage.refusals(saved, "refused");
  const outbox = SproutScanPage.outbox(saved, "queue", { send: sendQueued, changed: showNet, settled: synced });
  const queue = outbox.items;

  // sendQueued sends one scan queued offline.
  async function sendQueued(item) {
    if (item.session) return sendAttendance(item);
    const { status, json } = await request("POST", "/scan", item);
    if (status === 401 || status === 403) return { stop: msg["error.session"] };
    statsSoon();
    if (status === 200 && json) {
      if (last && last.nonce === item.nonce) last.scanId = json.scan_id;
      if (json.result === "ok") return {};
      // Let in offline, refused now: as far as this gate knows, not inside.
      const t = json.ticket || {};
      if (item.direction === "in" && json.result !== "already_checked_in" && t.id) forget({ ticketId: t.id });
      return { refused: resultTitle({ result: json.result, firstIn: json.first_checked_in_at }), word: json.result, name: t.name };
    }
    const r = refused(status, json);
    return { refused: r.error || msg["result." + r.result], word: r.result || "error" };
  }

  // sendAttendance sends one attendance taken offline. Recording is
  // exactly-once, so one the server has already is recorded all the same.
  async function sendAttendance(item) {
    const { status, json } = await request("POST", attendancePath(item.session), { token: item.token, scanned_at: item.scanned_at });
    if (status === 401 || status === 403) return { stop: msg["error.session"] };
    if (status === 200 && json) {
      if (json.result === "ok" || json.result === "already_recorded") return {};
      return { refused: resultTitle(json), word: json.result, name: (json.ticket || {}).name };
    }
    const r = refused(status, json);
    return { refused: r.error || msg["result." + r.result], word: r.result || "error" };
  }

  function synced(out) {
    if (out.unreachable) reachable = false;
    if (out.stop) notice(out.stop, true);
    if (out.refused.length) {
      refusedScans.add(
        out.refused.map(({ item, refused, word, name }) => {
          const c = SproutJWS.claims(item.token) || {};
          return { ticket: c.sub || item.ticket_id || "", label: name || typeNames[c.tt] || "", reason: refused, word, at: item.scanned_at };
        }),
      );
      notice(fill(msg["result.synced_conflicts"], { n: out.refused.length }), true);
    }
    showNet();
  }

  // --- deciding a scan

  // verify judges a token as the server would, from what this gate knows:
  // the published keys, the tickets cancelled and, unless leeway is null,
  // the validity window.
  async function verify(token, leeway = LEEWAY_S) {
    const { result, claims } = await SproutJWS.judge(token, { keyFor, event: eventId, revoked, leeway, now: serverNow() });
    if (result === "unknown") return { error: msg["error.offline_unavailable"] };
    if (!claims) return { result };
    return { result, ticketId: claims.sub, type: typeNames[claims.tt] || "" };
  }

  // remember keeps who is inside as this gate last heard, for the answers
  // it has to give offline.
  function remember(a) {
    if (!a.ticketId || (a.result !== "ok" && a.result !== "already_checked_in")) return;
    if (a.result === "ok" && a.direction === "out") delete inside[a.ticketId];
    else inside[a.ticketId] = a.firstIn || inside[a.ticketId] || new Date(serverNow()).toISOString();
    saved.set("inside", inside);
  }

  function fromServer(json, scan) {
    const t = json.ticket || {};
    const a = {
      result: json.result,
      ticketId: t.id || "",
      name: t.name || "",
      // The page's names are in the gate's language; the answer's in Vietnamese.
      type: typeNames[t.ticket_type_id] || json.ticket_type || "",
      firstIn: json.first_checked_in_at || "",
      answers: Object.entries(t.answers || {})
        .filter(([id]) => questions[id])
        .map(([id, v]) => questions[id].label + ": " + v.split("; ").map((x) => questions[id].choices[x] || x).join("; ")),
      scanId: json.scan_id || "",
      nonce: scan.nonce,
      direction: scan.direction,
    };
    remember(a);
    return a;
  }

  function refused(status, json) {
    const err = (json && json.error) || {};
    if (status === 401 || status === 403) return { error: msg["error.session"] };
    if (status === 400 && (!err.field || err.field === "token")) return { result: "invalid" };
    return { error: err.message || msg["error.unexpected"] };
  }

  async function decideOffline(scan) {
    if (!scan.token) return { error: msg["error.needs_network"] };
    const v = await verify(scan.token);
    if (v.error || v.result !== "ok") return { ...v, offline: true };
    const a = { ...v, nonce: scan.nonce, direction: scan.direction, offline: true };
    if (scan.direction === "in" && inside[a.ticketId]) return { ...a, result: "already_checked_in", firstIn: inside[a.ticketId] };
    outbox.add({ ...scan, offline: true });
    remember(a);
    return a;
  }

  const attendancePath = (session) => "/sessions/" + encodeURIComponent(session) + "/attendance";

  // attend records a scan as attendance at the course's session picked.
  async function attend(scan) {
    if (isOnline()) {
      const body = scan.token ? { token: scan.token } : { ticket_id: scan.ticket_id };
      try {
        const { status, json } = await request("POST", attendancePath(scan.session), body, ONLINE_WAIT_MS);
        if (status !== 200 || !json) return refused(status, json);
        const t = json.ticket || {};
        return { result: json.result, ticketId: t.id || "", name: t.name || "", firstIn: json.at || "", direction: "session" };
      } catch (err) {
        if (!(err instanceof Unreachable)) throw err;
        setReachable(false);
      }
    }
    return attendOffline(scan);
  }

  // attendOffline judges a scan as the server would for a course, whose
  // tickets count outside the gate's window too, and queues it; a ticket
  // queued at the session already was recorded then.
  async function attendOffline(scan) {
    if (!scan.token) return { error: msg["error.needs_network"] };
    const v = await verify(scan.token, null);
    if (v.error || v.result !== "ok") return { ...v, offline: true };
    const a = { ...v, direction: "session", offline: true };
    const queued = queue.find((q) => q.session === scan.session && (SproutJWS.claims(q.token) || {}).sub === a.ticketId);
    if (queued) return { ...a, result: "already_recorded", firstIn: queued.scanned_at };
    outbox.add({ ...scan, offline: true });
    return a;
  }

  // decide asks the server while it answers. Scans wait behind the queue
  // while one remains, so the server hears them in the order they happened.
  async function decide(scan) {
    if (scan.session) return attend(scan);
    if (isOnline() && (!queue.length || !scan.token)) {
      try {
        const { status, json } = await request("POST", "/scan", scan, ONLINE_WAIT_MS);
        setReachable(true);
        if (status !== 200 || !json) return refused(status, json);
        statsSoon();
        return fromServer(json, scan);
      } catch (err) {
        if (!(err instanceof Unreachable)) throw err;
        setReachable(false);
      }
    }
    if (queue.length && navigator.onLine) background(outbox.sync());
    return decideOffline(scan);
  }

  function submit(what) {
    const started = performance.now();
    const scan = { ...what, gate, direction, nonce: nonce(), scanned_at: new Date(serverNow()).toISOString() };
    if ($("session") && $("session").value) scan.session = $("session").value;
    work = work
      .then(() => decide(scan))
      .catch((err) => {
        console.error(err);
        return { error: msg["error.unexpected"] };
      })
      .then((a) => show(a, started))
      .catch(report);
    return work;
  }

  // --- showing

  let staleTimer = 0;
  function show(a, started) {
    const panel = $("result");
    clearTimeout(staleTimer);
    panel.classList.remove("stale", "error");
    $("notice").hidden = true;
    let title, detail = "";
    if (a.error) {
      panel.removeAttribute("data-scan-result");
      panel.removeAttribute("data-ticket-id");
      panel.classList.add("error");
      title = a.error;
      beep("bad");
    } else {
      panel.dataset.scanResult = a.result;
      panel.dataset.ticketId = a.ticketId || "";
      title = resultTitle(a);
      detail = [a.type, a.offline ? msg["result.offline_note"] : ""].filter(Boolean).join(" · ");
      beep(a.result === "ok" ? "ok" : a.result.startsWith("already_") ? "warn" : "bad");
      if (a.result === "ok" && a.direction === "in") {
        last = a;
        $("undo").disabled = false;
      }
    }
    $("result-title").textContent = title;
    $("result-name").textContent = a.name || "";
    $("result-detail").textContent = detail;
    $("result-answers").textContent = (a.answers || []).join(" · ");
    // After a welcome, online, the ticket's label badge opens for printing.
    const badge = $("badge");
    badge.hidden = !(a.result === "ok" && a.direction === "in" && a.ticketId && !a.offline && isOnline());
    if (!badge.hidden) badge.href = badge.dataset.href + encodeURIComponent(a.ticketId) + ".pdf?size=label";
    staleTimer = setTimeout(() => panel.classList.add("stale"), STALE_AFTER_MS);
    performance.measure("sprout:scan", { start: started });
    refocus();
  }

  function resultTitle(a) {
    if (a.direction === "session" && a.result === "ok") return msg["result.attended"];
    if (a.result === "already_recorded") return fill(msg["result.already_recorded"], { time: when(a.firstIn) });
    if (a.result === "ok") return a.direction === "out" ? msg["result.ok_out"] : msg["result.ok"];
    if (a.result === "already_checked_in") return fill(msg["result.already_checked_in"], { time: when(a.firstIn) });
    return msg["result." + a.result] || a.result;
  }

  function notice(text, isError) {
    const n = $("notice");
    n.textContent = text;
    n.classList.toggle("error", !!isError);
    n.hidden = false;
  }

  function showStats(checkedIn, insideNow) {
    $("stats").textContent = fill(msg.stats, { in: checkedIn, inside: insideNow });
  }

  let audio = null;
  function unlockAudio() {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!audio && Ctx) audio = new Ctx();
    if (audio && audio.state === "suspended") background(audio.resume());
  }

  const tones = { ok: [[880, 0, 0.12]], warn: [[660, 0, 0.1], [660, 0.18, 0.1]], bad: [[200, 0, 0.4]] };
  const buzz = { ok: 60, warn: [80, 60, 80], bad: [250, 80, 250] };
  function beep(kind) {
    if (audio && audio.state === "running") {
      const t0 = audio.currentTime;
      for (const [freq, at, len] of tones[kind]) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.type = kind === "bad" ? "square" : "sine";
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.25, t0 + at);
        gain.gain.exponentialRampToValueAtTime(0.001, t0 + at + len);
        osc.connect(gain).connect(audio.destination);
        osc.start(t0 + at);
        osc.stop(t0 + at + len);
      }
    }
    if (navigator.vibrate) navigator.vibrate(buzz[kind]);
  }

  // The handheld scanner types into #wedge, so it keeps the focus unless
  // staff are typing elsewhere.
  function refocus() {
    const el = document.activeElement;
    if ($("scanner").hidden || $("undo-dialog").open) return;
    if (el && el !== $("wedge") && el.matches("input:not([type=radio]), select")) return;
    $("wedge").focus({ preventScroll: true });
  }

  // --- camera

  // #camera-error holds the gate's one message, whatever kept the camera off.
  const camera = SproutCamera.scanner({ read: (token) => submit({ token }) });

  // --- search and undo

  let searchTimer = 0;
  let searchSeq = 0;
  async function search() {
    const q = $("search").value.trim();
    const list = $("search-results");
    const status = $("search-status");
    const seq = ++searchSeq;
    if (q.length < 2) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    let res = null;
    try {
      res = await request("GET", "/attendees?q=" + encodeURIComponent(q));
    } catch (err) {
      if (!(err instanceof Unreachable)) throw err;
      setReachable(false);
    }
    if (seq !== searchSeq) return;
    if (!res || res.status !== 200 || !res.json) {
      list.replaceChildren();
      status.textContent = res && (res.status === 401 || res.status === 403) ? msg["error.session"] : msg["error.needs_network"];
      return;
    }
    const people = res.json.attendees || [];
    status.textContent = people.length ? "" : msg["search.none"];
    list.replaceChildren(...people.map(person));
  }

  function person(p) {
    const li = document.createElement("li");
    const who = document.createElement("div");
    const name = document.createElement("strong");
    name.textContent = p.name;
    const info = document.createElement("small");
    const state = p.inside ? msg["search.inside"] : p.first_checked_in_at ? fill(msg["search.entered"], { time: when(p.first_checked_in_at) }) : "";
    info.textContent = [p.email, typeNames[p.ticket_type_id], state].filter(Boolean).join(" · ");
    who.append(name, info);
    const btn = document.createElement("button");
    btn.type = "button";
    btn.className = "btn";
    btn.textContent = msg["search.checkin"];
    btn.addEventListener("click", () => background(submit({ ticket_id: p.id }).then(search)));
    li.append(who, btn);
    return li;
  }

  function forget(entry) {
    delete inside[entry.ticketId];
    saved.set("inside", inside);
  }

  async function undo(entry) {
    const who = entry.name || entry.type || entry.ticketId;
    const queued = queue.find((q) => q.nonce === entry.nonce);
    if (queued && !(outbox.busy && queued === queue[0])) {
      outbox.remove(queued);
      forget(entry);
      return notice(fill(msg["undo.done"], { name: who }));
    }
    if (!entry.scanId) return notice(msg["undo.nothing"], true);
    try {
      const { status, json } = await request("POST", "/scans/" + encodeURIComponent(entry.scanId) + "/annul", {});
      if (status === 200) {
        forget(entry);
        statsSoon();
        return notice(fill(msg["undo.done"], { name: who }));
      }
      notice(status === 401 || status === 403 ? msg["error.session"] : (json && json.error && json.error.message) || msg["undo.nothing"], true);
    } catch (err) {
      if (!(err instanceof Unreachable)) throw err;
      setReachable(false);
      last = entry;
      $("undo").disabled = false;
      notice(msg["error.needs_network"], true);
    }
  }

  // --- walk-ins: registered and let in at once, which needs the server:
  // only it signs tickets.

  const walkForm = $("walkin-form");

  async function walkIn() {
    const f = walkForm.elements;
    for (const el of walkForm.querySelectorAll(".field-error")) el.hidden = true;
    for (const el of walkForm.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    const started = performance.now();
    if (!isOnline()) return show({ error: msg["error.needs_network"] }, started);
    const body = { name: f.name.value, phone: f.phone.value, email: f.email.value, ticket_type_id: f.ticket_type_id.value, gate,
      lang: document.documentElement.lang };
    let res;
    try {
      res = await request("POST", "/walk-in", body);
    } catch (err) {
      if (!(err instanceof Unreachable)) throw err;
      setReachable(false);
      return show({ error: msg["error.needs_network"] }, started);
    }
    const { status, json } = res;
    if (status === 201 && json) {
      walkForm.reset();
      statsSoon();
      return show(fromServer(json, { direction: "in", nonce: "" }), started);
    }
    const err = (json && json.error) || {};
    const problems = err.fields || (err.field ? { [err.field]: err.message } : null);
    if (status !== 400 || !problems) return show(refused(status, json), started);
    for (const [name, text] of Object.entries(problems)) {
      const note = $("wi-" + name + "-error");
      if (note) Object.assign(note, { textContent: text, hidden: false });
      if (f[name]) f[name].setAttribute("aria-invalid", "true");
    }
  }

  // --- wiring

  $("gate-name").value = gate;
  $("setup").addEventListener("submit", (ev) => {
    ev.preventDefault();
    gate = $("gate-name").value.trim();
    if (!gate) return;
    saved.set("gate", gate);
    $("gate-label").textContent = gate;
    $("setup").hidden = true;
    $("scanner").hidden = false;
    unlockAudio();
    background(camera.start());
    refocus();
  });
  walkForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    background(walkIn());
  });
  $("change-gate").addEventListener("click", () => {
    camera.stop();
    $("scanner").hidden = true;
    $("setup").hidden = false;
    $("gate-name").focus();
  });

  for (const radio of document.querySelectorAll('input[name="direction"]')) {
    radio.checked = radio.value === direction;
    radio.addEventListener("change", () => {
      direction = radio.value;
      saved.set("direction", direction);
      refocus();
    });
  }

  document.addEventListener("click", (ev) => {
    if (!ev.target.closest("input, button, a, summary, label, select, dialog")) refocus();
  });

  $("search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => background(search()), 250);
  });
  $("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    clearTimeout(searchTimer);
    background(search());
  });

  $("undo").addEventListener("click", () => {
    if (!last) return;
    $("undo-text").textContent = fill(msg["undo.confirm"], { name: last.name || last.type || last.ticketId });
    $("undo-dialog").showModal();
  });
  $("undo-dialog").addEventListener("close", () => {
    const entry = last;
    if ($("undo-dialog").returnValue === "yes" && entry) {
      last = null;
      $("undo").disabled = true;
      background(undo(entry));
    }
    refocus();
  });

  addEventListener("online", () => background(refresh()));
  addEventListener("offline", showNet);
  setInterval(() => {
    if (!reachable || queue.length || Date.now() - lastRefresh >= DATA_EVERY_MS) background(refresh());
  }, RETRY_EVERY_MS);

  // The service worker keeps this page and its files, so that it reloads
  // without the network.
  background(
    SproutScanPage.keepOffline("/events/").then((kept) => {
      pageKept = kept;
      showNet();
    }),
  );

  showStats($("stats").dataset.in, $("stats").dataset.inside);
  showNet();
  background(refresh());
})();
