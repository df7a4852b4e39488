// A field marked wrong by the server loses its mark, its message and its
// line in the summary as soon as the user changes it; the server checks it
// again on the next submit. The summary hides once every line is gone.
function clearFieldError(field) {
  const marked = field.closest('[aria-invalid="true"]');
  if (!marked) return;
  marked.removeAttribute("aria-invalid");
  const id = marked.id;
  if (!id) return;
  document.getElementById(id + "-error")?.remove();
  for (const li of document.querySelectorAll("[data-error-summary] li[data-for]")) {
    if (li.dataset.for !== id) continue;
    const summary = li.closest("[data-error-summary]");
    li.remove();
    if (!summary.querySelector("li")) summary.hidden = true;
  }
}
document.addEventListener("input", (ev) => clearFieldError(ev.target));
document.addEventListener("change", (ev) => clearFieldError(ev.target));
// Other scripts (the application's autosave) announce a field the server
// accepted with this event.
document.addEventListener("sprout:field-ok", (ev) => clearFieldError(ev.target));
// A page that comes back with mistakes brings their summary into view and
// has it read out first.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelector("[data-error-summary]:not([hidden])")?.focus();
});
