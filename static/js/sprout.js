// Small progressive enhancements; every page works without this file.
document.addEventListener("submit", (ev) => {
  const form = ev.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) ev.preventDefault();
});
document.addEventListener("change", (ev) => {
  if (ev.target.matches("select[data-autosubmit]")) ev.target.form.requestSubmit();
});
document.addEventListener("click", (ev) => {
  if (ev.target.closest("[data-print]")) window.print();
});
