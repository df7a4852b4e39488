// The QR code reader of the gate and the booth scanner: the phone's rear
// camera, decoded with jsQR, and a handheld scanner that types a code into
// the page, then Enter. A page that uses it has a video #camera, a
// #camera-error shown when the camera cannot start, and a form #wedge-form
// with the input #wedge. Shared by gate.js and leads.js.
const SproutCamera = (() => {
  "use strict";

  const READ_AGAIN_MS = 3000; // the same QR code held in view counts once
  const FRAME_GAP_MS = 60;
  const MAX_SIDE = 800; // frames shrink to this before decoding: faster, still sharp enough

  // scanner hands read each code scanned, trimmed. failed hears why the
  // camera did not start: "unavailable" (the browser offers no camera to
  // the page: no HTTPS), "denied", or "none" (no camera, or one busy). It
  // answers {start, stop} for the camera; the handheld scanner always reads.
  function scanner({ read, failed = () => {} }) {
    const $ = (id) => document.getElementById(id);
    const video = $("camera");
    const canvas = document.createElement("canvas");
    const frameCtx = canvas.getContext("2d", { willReadFrequently: true });
    const recent = new Map(); // code → when the camera last saw it
    let stream = null;
    let frameTimer = 0;
    let turn = 0; // a camera that starts after stop, or after a later start, is given back

    function take(text, fromCamera) {
      const code = text.trim();
      if (!code) return;
      if (fromCamera) {
        const now = Date.now();
        const seen = recent.get(code);
        for (const [c, at] of recent) if (now - at > READ_AGAIN_MS) recent.delete(c);
        recent.set(code, now);
        if (seen && now - seen <= READ_AGAIN_MS) return;
      }
      read(code);
    }

    function fail(why) {
      failed(why);
      $("camera-error").hidden = false;
    }

    async function start() {
      stop();
      const mine = turn;
      $("camera-error").hidden = true;
      // Browsers offer no camera outside a secure context (HTTPS).
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return fail("unavailable");
      let got;
      try {
        got = await navigator.mediaDevices.getUserMedia({
          audio: false,
          video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
        });
      } catch (err) {
        if (mine !== turn) return;
        return fail(err && (err.name === "NotAllowedError" || err.name === "SecurityError") ? "denied" : "none");
      }
      if (mine !== turn) return got.getTracks().forEach((t) => t.stop());
      stream = got;
      video.srcObject = stream;
      await video.play().catch(() => {});
      frame();
    }

    function stop() {
      turn++;
      clearTimeout(frameTimer);
      if (stream) stream.getTracks().forEach((t) => t.stop());
      stream = null;
      video.srcObject = null;
    }

    function frame() {
      if (!stream) return;
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
        if (code && code.data) take(code.data, true);
      }
      frameTimer = setTimeout(frame, FRAME_GAP_MS);
    }

    $("wedge-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const text = $("wedge").value;
      $("wedge").value = "";
      take(text, false);
    });

    return { start, stop };
  }

  return { scanner };
})();
