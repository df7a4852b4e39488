// The certification dossier's form: results as rows to add and remove,
// the revenue share worked out as the figures are typed, autosave a
// moment after each change, and proofs uploaded as soon as they are
// chosen. Without this file the form's buttons do the same by posting.
(() => {
  const form = document.querySelector("form.st-form[data-autosave]");
  if (!form || !window.fetch) return;
  const list = form.querySelector("[data-list=results]");
  const version = form.elements.version;
  const csrf = form.elements._csrf.value;
  const rows = () => [...list.querySelectorAll(":scope > [data-row]")];
  const value = (name) => form.elements[name].value.trim();
  const number = (name) => Number(value(name)) || 0;

  // The share, as the server counts it: per mille, rounded down; young
  // enterprises are not held to it.
  const share = document.getElementById("st-share");
  function showShare() {
    const revenue = number("revenue");
    const fromResults = number("result_revenue");
    const founded = value("founded");
    let test = "none";
    let percent = "—";
    if (revenue > 0) {
      const perMille = Math.floor((fromResults * 1000) / revenue);
      percent = (perMille / 10).toLocaleString(form.dataset.lang === "en" ? "en" : "vi") + "%";
      test = perMille >= 300 ? "meets" : "below";
    }
    if (founded) {
      const due = new Date(founded + "T00:00:00+07:00");
      due.setFullYear(due.getFullYear() + 5);
      if (new Date() < due) test = "exempt";
    }
    share.dataset.test = test;
    share.querySelector("[data-share-percent]").textContent = percent;
    share.querySelector("[data-share-verdict]").textContent = form.dataset["share" + test[0].toUpperCase() + test.slice(1)];
  }

  function payload() {
    return JSON.stringify({
      version: Number(version.value),
      enterprise: {
        name: value("name"), name_en: value("name_en"), tax_code: value("tax_code"), address: value("address"),
        representative: value("representative"), founded: value("founded"), size: value("size"), sector: value("sector"),
      },
      finance: {
        year: number("year"), revenue: number("revenue"), result_revenue: number("result_revenue"),
        rd_spending: number("rd_spending"), rd_staff: number("rd_staff"), staff: number("staff"),
      },
      results: rows().map((row) => ({
        kind: row.querySelector("[name=result_kind]").value,
        title: row.querySelector("[name=result_title]").value,
        number: row.querySelector("[name=result_number]").value,
        proof_id: row.querySelector("[name=result_proof]").value,
      })),
    });
  }

  const saver = SproutAutosave(form, {
    status: document.getElementById("st-status"),
    staleBox: document.getElementById("st-stale"),
    payload,
    isStale: (res) => res.status === 409,
  });
  const changed = () => saver.changed();

  function renumber() {
    rows().forEach((row, i) => {
      row.querySelector("[data-num]").textContent = i + 1;
    });
  }

  // sendProof posts the chosen file for the row at its place; the server
  // answers with the stored proof, which the next save carries.
  function sendProof(input) {
    const row = input.closest("[data-row]");
    const bar = row.querySelector("[data-progress]");
    const meter = bar.querySelector("progress");
    const note = bar.querySelector("[data-progress-text]");
    const place = rows().indexOf(row);
    bar.hidden = false;
    meter.value = 0;
    note.textContent = form.dataset.uploading;
    return new Promise((resolve) => {
      const failed = (text) => {
        meter.value = 0;
        note.textContent = text || form.dataset.uploadFailed;
        input.setAttribute("aria-invalid", "true");
        resolve(false);
      };
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.dataset.upload + place);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRF-Token", csrf);
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
        if (xhr.status === 409) {
          saver.goneStale();
          resolve(false);
          return;
        }
        if (xhr.status !== 200) {
          failed(data.error && data.error.message);
          return;
        }
        meter.value = 100;
        note.textContent = data.message;
        version.value = data.version;
        row.querySelector("[name=result_proof]").value = data.proof_id;
        const link = document.createElement("a");
        link.href = data.href;
        link.textContent = data.name;
        row.querySelector("[data-attachment]").replaceChildren(form.dataset.attachedText + ": ", link);
        input.value = "";
        input.removeAttribute("aria-invalid");
        resolve(true);
      });
      xhr.addEventListener("error", () => failed());
      const body = new FormData();
      body.append("file", input.files[0]);
      xhr.send(body);
    });
  }

  // An upload takes its turn among the saves: the row must be stored
  // before its proof, and the upload makes a new version.
  async function upload(input) {
    saver.markDirty();
    await saver.save();
    await saver.idle();
    if (saver.stale) return false;
    return saver.turn(() => sendProof(input));
  }

  form.addEventListener("input", (ev) => {
    if (ev.target.type === "file" || !ev.target.name) return;
    if (["revenue", "result_revenue", "founded"].includes(ev.target.name)) showShare();
    changed();
  });
  form.addEventListener("change", (ev) => {
    if (ev.target.matches("[data-proof]")) {
      if (ev.target.files.length) upload(ev.target);
      return;
    }
    if (ev.target.name) changed();
  });

  for (const b of form.querySelectorAll("[data-upload-button]")) b.hidden = true;
  for (const b of form.querySelectorAll("[data-remove]")) b.hidden = false;
  // Rows added here upload through the script alone.
  for (const input of form.querySelectorAll("[data-proof]")) input.removeAttribute("form");

  form.addEventListener("click", (ev) => {
    if (ev.target.closest("[data-add]")) {
      ev.preventDefault();
      const row = document.getElementById("tpl-result").content.firstElementChild.cloneNode(true);
      list.append(row);
      renumber();
      row.querySelector("[name=result_title]").focus();
      changed();
      return;
    }
    const remove = ev.target.closest("[data-remove]");
    if (remove) {
      remove.closest("[data-row]").remove();
      renumber();
      form.querySelector("[data-add]").focus();
      changed();
    }
  });

  // Sending must not race a save or an upload in flight.
  form.addEventListener("submit", async (ev) => {
    if (saver.stale || (!saver.busy && !saver.dirty)) return;
    ev.preventDefault();
    const intent = ev.submitter ? ev.submitter.value : "save";
    await saver.save();
    await saver.idle();
    if (saver.stale) return;
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = "intent";
    field.value = intent;
    form.append(field);
    form.submit();
  });
})();
