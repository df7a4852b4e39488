// Keeps a session's attendance list live: every few seconds it reads who
// is present, and when another trainer has marked or undone someone it
// takes the list anew from the page, so each row has its right button.
(() => {
  const root = document.querySelector("[data-attendance]");
  if (!root) return;
  const present = (ids) => [...ids].sort().join();
  const refresh = async () => {
    try {
      const res = await fetch(root.dataset.attendance, { headers: { Accept: "application/json" } });
      if (!res.ok) return;
      const { attendance } = await res.json();
      const rows = [...root.querySelectorAll("tr[data-ticket]")];
      const listed = new Set(rows.map((tr) => tr.dataset.ticket));
      const shown = rows.filter((tr) => tr.querySelector("[data-status] .chip")).map((tr) => tr.dataset.ticket);
      if (present(attendance.map((a) => a.ticket_id).filter((id) => listed.has(id))) === present(shown)) return;
      const page = await fetch(location.href, { headers: { Accept: "text/html" } });
      if (!page.ok) return;
      const fresh = new DOMParser().parseFromString(await page.text(), "text/html").querySelector("[data-attendance]");
      if (fresh) root.replaceChildren(...fresh.childNodes);
    } catch {
      // The next round tries again.
    }
  };
  setInterval(refresh, 5000);
})();
