// The booth's lead scanner. Staff scan a visitor's badge with the camera or
// a handheld scanner; the server records the visitor as a lead of the
// exhibitor, and staff rate the lead and note what was said.
(() => {
  "use strict";

  const root = document.getElementById("booth");
  if (!root) return;

  const READ_AGAIN_MS = 3000; // the same QR code held in view counts once
  const FRAME_GAP_MS = 60;
  const MAX_SIDE = 800; // frames shrink to this before decoding: faster, still sharp enough

  const $ = (id) => document.getElementById(id);
  const base = "/exhibitors/" + encodeURIComponent(root.dataset.exhibitor);
  const msg = JSON.parse(root.dataset.messages);
  const csrf = document.querySelector('meta[name="csrf-token"]');
  const recent = new Map(); // token → when the camera last saw it
  let count = Number(root.dataset.count) || 0;
  let current = null; // the lead shown, to rate and annotate
  let work = Promise.resolve(); // scans are sent one at a time, in order

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

  // request calls one of the scanner's endpoints with the page's session.
  // It throws on a network failure; any answer is returned.
  async function request(method, path, body, retried = false) {
    const res = await fetch(base + path, {
      method,
      cache: "no-store",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf.content },
      body: JSON.stringify(body),
    });
    const json = (res.headers.get("Content-Type") || "").startsWith("application/json") ? await res.json() : null;
    // A refused CSRF token answers with a page, not JSON.
    if (res.status === 403 && !json && !retried && (await renewCsrf())) return request(method, path, body, true);
    return { status: res.status, json };
  }

  // renewCsrf takes a fresh token from the page: the one it came with
  // expires while a booth stays open all day.
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

  // problem is the message for an answer that is no lead.
  function problem(status, json) {
    if (status === 401 || status === 403) return msg["error.session"];
    if (status === 404) return msg["error.gone"];
    if (status >= 500 || !json || !json.error) return msg["error.unexpected"];
    return json.error.message || msg["error.unexpected"];
  }

  // --- scanning ------------------------------------------------------------

  async function scan(token) {
    let res;
    try {
      res = await request("POST", "/scan", { token });
    } catch {
      return showError(msg["error.network"]);
    }
    const { status, json } = res;
    if ((status === 200 || status === 201) && json && json.lead) {
      if (status === 201) count++;
      return showLead(json.lead, status === 201 ? "added" : "again");
    }
    const err = (json && json.error) || {};
    if (status === 400 && (!err.field || err.field === "token")) return showInvalid();
    showError(problem(status, json));
  }

  function read(text, fromCamera) {
    const token = text.trim();
    if (!token) return;
    if (fromCamera) {
      const now = Date.now();
      const seen = recent.get(token);
      for (const [t, at] of recent) if (now - at > READ_AGAIN_MS) recent.delete(t);
      recent.set(token, now);
      if (seen && now - seen <= READ_AGAIN_MS) return;
    }
    work = work.then(() => scan(token)).catch((err) => {
      console.error(err);
      showError(msg["error.unexpected"]);
    });
  }

  // --- showing -------------------------------------------------------------

  function panel(result, ticketId, title, name, contact) {
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
    $("lead-count").textContent = fill(msg.count, { n: count });
  }

  function showLead(lead, result) {
    const contact = [lead.email, phone(lead.phone)].filter(Boolean).join(" · ");
    panel(result, lead.ticket_id, msg["result." + result], lead.name, contact || msg.contact_hidden);
    current = lead;
    $("lead-note").value = lead.note || "";
    $("lead-status").textContent = "";
    showRating(lead.rating || "");
    $("lead-edit").hidden = false;
    buzz(result === "added" ? 60 : [80, 60, 80]);
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

  function showRating(rating) {
    for (const b of document.querySelectorAll(".rate")) b.setAttribute("aria-pressed", String(b.dataset.rating === rating));
  }

  const buzz = (pattern) => navigator.vibrate && navigator.vibrate(pattern);

  // save sends the lead's note and rating together, as the API replaces
  // both.
  async function save(rating) {
    const lead = current;
    if (!lead) return;
    const note = $("lead-note").value;
    $("lead-status").textContent = msg.saving;
    let res;
    try {
      res = await request("PATCH", "/leads/" + encodeURIComponent(lead.id), { note, rating });
    } catch {
      $("lead-status").textContent = msg["error.network"];
      return;
    }
    if (lead !== current) return;
    if (res.status === 200 && res.json && res.json.lead) {
      current = res.json.lead;
      showRating(current.rating || "");
      $("lead-status").textContent = msg.saved;
    } else {
      $("lead-status").textContent = problem(res.status, res.json);
    }
  }

  // The handheld scanner types into #wedge, so it keeps the focus unless
  // staff are writing a note.
  function refocus() {
    if (document.activeElement === $("lead-note")) return;
    $("wedge").focus({ preventScroll: true });
  }

  // --- camera --------------------------------------------------------------

  let stream = null;
  const canvas = document.createElement("canvas");
  const frameCtx = canvas.getContext("2d", { willReadFrequently: true });

  function cameraError(text) {
    $("camera-error-text").textContent = text;
    $("camera-error").hidden = false;
  }

  async function startCamera() {
    $("camera-error").hidden = true;
    // Browsers offer no camera outside a secure context (HTTPS).
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return cameraError(msg["error.camera_unavailable"]);
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
      });
    } catch (err) {
      const refused = err && (err.name === "NotAllowedError" || err.name === "SecurityError");
      return cameraError(refused ? msg["error.camera_denied"] : msg["error.no_camera"]);
    }
    const video = $("camera");
    video.srcObject = stream;
    await video.play().catch(() => {});
    frame();
  }

  function frame() {
    if (!stream) return;
    const video = $("camera");
    if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth && typeof jsQR === "function") {
      const scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
      const w = Math.round(video.videoWidth * scale);
      const h = Math.round(video.videoHeight * scale);
      if (canvas.width !== w || canvas.height !== h) {
        canvas.width = w;
        canvas.height = h;
      }
      frameCtx.drawImage(video, 0, 0, w, h);
      const code = jsQR(frameCtx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: "dontInvert" });
      if (code && code.data) read(code.data, true);
    }
    setTimeout(frame, FRAME_GAP_MS);
  }

  // --- wiring --------------------------------------------------------------

  $("wedge-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = $("wedge").value;
    $("wedge").value = "";
    read(text, false);
  });
  for (const b of document.querySelectorAll(".rate")) {
    // Tapping the rating shown again takes it off.
    b.addEventListener("click", () => {
      save(b.getAttribute("aria-pressed") === "true" ? "" : b.dataset.rating);
      refocus();
    });
  }
  $("lead-edit").addEventListener("submit", (ev) => {
    ev.preventDefault();
    save(current ? current.rating || "" : "");
    $("lead-note").blur();
    refocus();
  });
  $("camera-retry").addEventListener("click", startCamera);
  document.addEventListener("click", (ev) => {
    if (!ev.target.closest("input, textarea, button, a, label, select")) refocus();
  });

  $("lead-count").textContent = fill(msg.count, { n: count });
  startCamera();
  refocus();
})();
