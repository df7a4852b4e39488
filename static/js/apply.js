// Saves the application form a moment after each change, so that days of
// typing are never lost; without this file the form's buttons save it.
(() => {
  const form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) return;
  const saver = SproutAutosave(form, {
    status: document.getElementById("apply-status"),
    staleBox: document.getElementById("apply-stale"),
    payload,
    isStale: (res, data) => !!(data.error && data.error.code === "stale"),
    // A field the server marked and the founder has since filled is saved
    // now: its mark goes (errors.js).
    saved: () => {
      for (const el of form.querySelectorAll('[aria-invalid="true"]:not([type=file])')) {
        if (el.value.trim() !== "") el.dispatchEvent(new Event("sprout:field-ok", { bubbles: true }));
      }
    },
  });

  function payload() {
    const answers = {};
    for (const el of form.elements) {
      if (el.name && el.name.startsWith("q.")) answers[el.name.slice(2)] = el.value;
    }
    return JSON.stringify({ version: Number(form.elements.version.value), startup_name: form.elements.startup_name.value, answers });
  }

  const changed = (ev) => {
    if (ev.target.form !== form || !ev.target.name) return;
    saver.changed();
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  // Files upload as soon as they are chosen, so a founder who never
  // presses "upload" still sends the deck; the buttons stay for pages
  // without this script.
  const fileInputs = [...document.querySelectorAll("input[type=file][data-question]")];
  const uploads = new Map();
  const summary = document.getElementById("apply-errors");
  for (const b of document.querySelectorAll("[data-upload-button]")) b.hidden = true;

  function markError(input, text) {
    const q = input.dataset.question;
    const box = document.getElementById("question-" + q);
    let msg = box.querySelector(".field-error");
    if (!msg) {
      msg = document.createElement("p");
      msg.className = "field-error";
      box.append(msg);
    }
    msg.id = "q-" + q + "-error";
    msg.textContent = text;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", "q-" + q + "-hint " + msg.id);
    let item = summary.querySelector('[data-for="q-' + q + '"]');
    if (!item) {
      item = document.createElement("li");
      item.dataset.for = "q-" + q;
      item.append(document.createElement("a"));
      summary.querySelector("ul").append(item);
    }
    item.firstChild.href = "#q-" + q;
    item.firstChild.textContent = text;
    summary.hidden = false;
  }

  function clearError(input) {
    const q = input.dataset.question;
    const msg = document.getElementById("question-" + q).querySelector(".field-error");
    if (msg) msg.remove();
    input.removeAttribute("aria-invalid");
    input.setAttribute("aria-describedby", "q-" + q + "-hint");
    const item = summary.querySelector('[data-for="q-' + q + '"]');
    if (item) item.remove();
    summary.hidden = !summary.querySelector("li");
  }

  // sendFile posts the chosen file with the upload's progress shown, and
  // resolves true once it is attached.
  function sendFile(input) {
    const box = document.getElementById("question-" + input.dataset.question);
    const bar = box.querySelector("[data-progress]");
    const meter = bar.querySelector("progress");
    const note = bar.querySelector("[data-progress-text]");
    bar.hidden = false;
    meter.value = 0;
    note.textContent = form.dataset.uploading;
    return new Promise((resolve) => {
      const failed = (text) => {
        note.textContent = "";
        bar.hidden = true;
        markError(input, text || form.dataset.uploadFailed);
        resolve(false);
      };
      const xhr = new XMLHttpRequest();
      xhr.open("POST", input.form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRF-Token", form.elements._csrf.value);
      xhr.upload.addEventListener("progress", (ev) => {
        if (ev.lengthComputable) meter.value = Math.round((ev.loaded * 100) / ev.total);
      });
      xhr.addEventListener("load", () => {
        let data = {};
        try {
          data = JSON.parse(xhr.responseText);
        } catch {
          // Not JSON: a proxy's page or the body limit's answer.
        }
        if (xhr.status !== 200) {
          failed(data.error && data.error.message);
          return;
        }
        meter.value = 100;
        note.textContent = data.message;
        form.elements.version.value = data.version;
        const link = document.createElement("a");
        link.href = data.href;
        link.textContent = data.name;
        box.querySelector("[data-attachment]").replaceChildren(form.dataset.attachedText + ": ", link);
        input.value = "";
        input.dataset.attached = "";
        clearError(input);
        resolve(true);
      });
      xhr.addEventListener("error", () => failed());
      const body = new FormData();
      body.append("_csrf", form.elements._csrf.value);
      body.append("file", input.files[0]);
      xhr.send(body);
    });
  }

  // upload takes its turn among the saves: the server counts it as a new
  // version, which the next save must carry.
  function upload(input) {
    const q = input.dataset.question;
    const run = (async () => {
      await saver.save();
      return saver.turn(() => sendFile(input));
    })();
    uploads.set(q, run);
    run.then(() => {
      if (uploads.get(q) === run) uploads.delete(q);
    });
    return run;
  }

  for (const input of fileInputs) {
    input.addEventListener("change", () => {
      if (input.files.length) upload(input);
    });
  }

  // A plain submit must not race a save or an upload in flight, and
  // sends a file still waiting first; a required file missing stops it
  // with the field marked.
  form.addEventListener("submit", async (ev) => {
    const intent = ev.submitter ? ev.submitter.value : "save";
    const missing = intent === "submit" ?
      fileInputs.filter((i) => i.dataset.required && !("attached" in i.dataset) && !i.files.length) : [];
    if (missing.length) {
      ev.preventDefault();
      for (const i of missing) markError(i, i.dataset.required);
      summary.focus();
      return;
    }
    const waiting = fileInputs.filter((i) => i.files.length && !uploads.has(i.dataset.question));
    if ((!saver.busy && !uploads.size && !waiting.length) || saver.stale) return;
    ev.preventDefault();
    for (const i of waiting) upload(i);
    const done = await Promise.all([...uploads.values()]);
    if (done.includes(false)) return;
    await saver.idle();
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = "intent";
    field.value = intent;
    form.append(field);
    form.submit();
  });
  document.addEventListener("submit", async (ev) => {
    const upload = ev.target.closest("form[data-upload]");
    if (!upload || (!saver.dirty && !saver.busy) || saver.stale) return;
    ev.preventDefault();
    await saver.save();
    upload.submit();
  });
})();
