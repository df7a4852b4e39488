// Small progressive enhancements; every page works without this file.
document.addEventListener("submit", (ev) => {
  const form = ev.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) ev.preventDefault();
});
// A form that takes a while says so on its button, and cannot be sent twice.
document.addEventListener("submit", (ev) => {
  const form = ev.target.closest("form[data-busy]");
  if (!form || ev.defaultPrevented) return;
  const button = form.querySelector("button[type=submit]");
  if (!button) return;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.textContent = form.dataset.busy;
});
document.addEventListener("change", (ev) => {
  if (ev.target.matches("select[data-autosubmit]")) ev.target.form.requestSubmit();
});
document.addEventListener("click", (ev) => {
  if (ev.target.closest("[data-print]")) window.print();
});
// Signing out forgets what the scanners kept on this device (their queue,
// the tickets cancelled, who is inside), for browsers that ignore the
// server's Clear-Site-Data header; scanpage.js keeps it all under "sprout.".
document.addEventListener("submit", (ev) => {
  if (ev.defaultPrevented || !ev.target.matches('form[action="/logout"]')) return;
  try {
    for (const name of Object.keys(localStorage)) if (name.startsWith("sprout.")) localStorage.removeItem(name);
  } catch {
    // Storage forbidden: nothing was kept.
  }
});
