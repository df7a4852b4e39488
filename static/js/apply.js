// Saves the application form a moment after each change, so that days of
// typing are never lost; without this file the form's buttons save it.
(() => {
  const form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) return;
  const status = document.getElementById("apply-status");
  const staleBox = document.getElementById("apply-stale");
  const version = form.elements.version;
  const DELAY = 800;
  const RETRY = 5000;
  let timer = 0;
  let dirty = false;
  let stale = false;
  let saving = null;

  const show = (text, kind) => {
    status.textContent = text;
    status.dataset.kind = kind || "";
  };

  const schedule = (ms) => {
    clearTimeout(timer);
    timer = setTimeout(save, ms);
  };

  function payload() {
    const answers = {};
    for (const el of form.elements) {
      if (el.name && el.name.startsWith("q.")) answers[el.name.slice(2)] = el.value;
    }
    return JSON.stringify({ version: Number(version.value), startup_name: form.elements.startup_name.value, answers });
  }

  async function send() {
    dirty = false;
    show(form.dataset.saving);
    try {
      const res = await fetch(form.dataset.autosave, {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": form.elements._csrf.value },
        body: payload(),
      });
      const data = await res.json().catch(() => ({}));
      if (res.ok) {
        version.value = data.version;
        show(data.message, "ok");
        return;
      }
      if (data.error && data.error.code === "stale") {
        // Another tab saved a newer copy: saving this one would undo it.
        stale = true;
        show("", "");
        staleBox.hidden = false;
        staleBox.scrollIntoView({ block: "center" });
        return;
      }
      if (data.error && res.status < 500) {
        // The answer as typed is refused; the founder fixes it first.
        dirty = true;
        show(data.error.message, "error");
        return;
      }
      throw new Error("status " + res.status);
    } catch {
      dirty = true;
      show(form.dataset.failed, "error");
      schedule(RETRY);
    }
  }

  // save runs one request at a time, so each carries the version the one
  // before it returned.
  async function save() {
    clearTimeout(timer);
    while (saving) await saving;
    if (!dirty || stale) return;
    saving = send();
    await saving;
    saving = null;
  }

  const changed = (ev) => {
    if (ev.target.form !== form || !ev.target.name || stale) return;
    dirty = true;
    schedule(DELAY);
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  // A plain submit or upload must not race a save in flight: it would
  // carry an older version and be refused as stale.
  form.addEventListener("submit", async (ev) => {
    if (!saving || stale) return;
    ev.preventDefault();
    while (saving) await saving;
    const intent = document.createElement("input");
    intent.type = "hidden";
    intent.name = "intent";
    intent.value = ev.submitter ? ev.submitter.value : "save";
    form.append(intent);
    form.submit();
  });
  document.addEventListener("submit", async (ev) => {
    const upload = ev.target.closest("form[data-upload]");
    if (!upload || (!dirty && !saving) || stale) return;
    ev.preventDefault();
    await save();
    upload.submit();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && dirty) save();
  });
  staleBox.querySelector("[data-reload]").addEventListener("click", () => window.location.reload());
})();
