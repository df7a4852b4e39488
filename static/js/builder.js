// The form builders (a programme's questions and criteria, an event's
// registration questions): add, remove and reorder rows. The server reads
// the rows in page order, so moving a row in the page is all reordering
// takes. A button may add a row from a template of its own, filled in.
for (const form of document.querySelectorAll("form[data-builder]")) {

  const number = () => {
    for (const list of form.querySelectorAll("[data-list]")) {
      list.querySelectorAll(":scope > [data-row]").forEach((row, i) => {
        const num = row.querySelector(".builder-num");
        if (!num.dataset.base) num.dataset.base = num.textContent;
        num.textContent = `${num.dataset.base} ${i + 1}`;
        row.querySelector('[data-move="-1"]').disabled = i === 0;
        row.querySelector('[data-move="1"]').disabled = !row.nextElementSibling;
      });
    }
  };

  // Options matter only to the kinds of question marked as taking them.
  const showOptions = (row) => {
    const kind = row.querySelector("[data-kind]");
    if (!kind) return;
    const takes = !!kind.selectedOptions[0] && kind.selectedOptions[0].hasAttribute("data-options");
    for (const el of row.querySelectorAll(".builder-options")) el.hidden = !takes;
  };

  form.addEventListener("click", (ev) => {
    const add = ev.target.closest("[data-add]");
    if (add) {
      const list = form.querySelector(`[data-list="${add.dataset.add}"]`);
      const tpl = document.getElementById(add.dataset.template || `tpl-${add.dataset.add}`);
      const row = tpl.content.firstElementChild.cloneNode(true);
      list.append(row);
      for (const empty of form.querySelectorAll("[data-empty]")) empty.hidden = true;
      showOptions(row);
      number();
      row.querySelector('input[type="text"]').focus();
      return;
    }
    const row = ev.target.closest("[data-row]");
    if (!row) return;
    const move = ev.target.closest("[data-move]");
    if (move) {
      const other = move.dataset.move === "-1" ? row.previousElementSibling : row.nextElementSibling;
      if (!other) return;
      if (move.dataset.move === "-1") other.before(row);
      else other.after(row);
      number();
      move.focus();
      return;
    }
    if (ev.target.closest("[data-remove]")) {
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      number();
      (next ? next.querySelector("input[type=text]") : form.querySelector(`[data-add]`)).focus();
    }
  });
  form.addEventListener("change", (ev) => {
    if (ev.target.matches("[data-kind]")) showOptions(ev.target.closest("[data-row]"));
  });
  form.querySelectorAll("[data-row]").forEach(showOptions);
  number();
}
