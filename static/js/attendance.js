// Keeps a session's attendance list live: every few seconds it reads who
// is present and marks their rows, so two trainers see each other's marks.
(() => {
  const root = document.querySelector("[data-attendance]");
  if (!root) return;
  const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Ho_Chi_Minh" });
  const refresh = async () => {
    try {
      const res = await fetch(root.dataset.attendance, { headers: { Accept: "application/json" } });
      if (!res.ok) return;
      const { attendance } = await res.json();
      for (const a of attendance) {
        const cell = root.querySelector(`tr[data-ticket="${CSS.escape(a.ticket_id)}"] [data-status]`);
        if (!cell || !cell.querySelector("form")) continue;
        const chip = document.createElement("span");
        chip.className = "chip";
        chip.textContent = `✓ ${root.dataset.presentText} ${clock.format(new Date(a.at))}`;
        cell.replaceChildren(chip);
      }
      root.querySelector("[data-present-count]").textContent = root.querySelectorAll("[data-status] .chip").length;
    } catch {
      // The next round tries again.
    }
  };
  setInterval(refresh, 5000);
})();
