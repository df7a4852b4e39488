// SproutAutosave saves a form as JSON a moment after each change, one
// request at a time so each carries the version the one before returned,
// retrying while the network fails; a copy saved elsewhere meanwhile stops
// it and asks to reload. Uploads take their turn among the saves through
// turn(). Used by the application form and the certification dossier.
window.SproutAutosave = (form, { status, staleBox, payload, isStale, saved }) => {
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

  // goneStale stops saving: a copy saved or sent from another tab would
  // be undone by this one.
  function goneStale() {
    stale = true;
    show("", "");
    staleBox.hidden = false;
    staleBox.scrollIntoView({ block: "center" });
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
        form.elements.version.value = data.version;
        show(data.message, "ok");
        if (saved) saved(data);
        return;
      }
      if (isStale(res, data)) {
        goneStale();
        return;
      }
      if (data.error && res.status < 500) {
        // Refused as typed: the person fixes it first.
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

  async function save() {
    clearTimeout(timer);
    while (saving) await saving;
    if (!dirty || stale) return;
    saving = send();
    await saving;
    saving = null;
  }

  // turn runs task once the saves and uploads in flight are done, alone.
  async function turn(task) {
    while (saving) await saving;
    saving = task();
    const result = await saving;
    saving = null;
    return result;
  }

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && dirty) save();
  });
  staleBox.querySelector("[data-reload]").addEventListener("click", () => window.location.reload());

  return {
    save,
    turn,
    goneStale,
    // changed marks the form as changed and saves it a moment later.
    changed() {
      if (stale) return;
      dirty = true;
      schedule(DELAY);
    },
    markDirty() {
      dirty = true;
    },
    // idle waits for the saves and uploads in flight.
    async idle() {
      while (saving) await saving;
    },
    get stale() {
      return stale;
    },
    get dirty() {
      return dirty;
    },
    get busy() {
      return saving !== null;
    },
  };
};
