// The lead list saves a lead's note and rating in place, keeping the
// filter and the scroll; without this file the form posts and reloads.
(() => {
  "use strict";

  const table = document.querySelector(".lead-table");
  if (!table) return;

  table.addEventListener("submit", async (ev) => {
    const form = ev.target.closest("form[data-lead-form]");
    if (!form) return;
    ev.preventDefault();
    const status = form.querySelector("[data-lead-status]");
    const data = new FormData(form);
    let res, json;
    try {
      res = await fetch(form.action, {
        method: "PATCH",
        cache: "no-store",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": data.get("_csrf") },
        body: JSON.stringify({ note: data.get("note"), rating: data.get("rating") }),
      });
      json = (res.headers.get("Content-Type") || "").startsWith("application/json") ? await res.json() : null;
    } catch {
      status.textContent = table.dataset.failed;
      return;
    }
    // An expired form answers with a page: the plain post shows why.
    if (!json) return form.submit();
    if (!res.ok || !json.lead) {
      status.textContent = (json.error && json.error.message) || table.dataset.failed;
      return;
    }
    const row = form.closest("tr");
    const select = form.querySelector("select[name=rating]");
    const cell = row.querySelector("[data-rating-cell]");
    const label = select.options[select.selectedIndex].text;
    const badge = document.createElement("span");
    badge.className = json.lead.rating ? "badge rating-" + json.lead.rating : "muted";
    badge.textContent = label;
    cell.replaceChildren(badge);
    row.querySelector("[data-note-cell]").textContent = json.lead.note;
    status.textContent = table.dataset.saved;
  });
})();
