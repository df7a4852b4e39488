// The programme form builder: adds, removes and reorders question and
// criterion rows. The server reads the rows in page order, so moving a
// row in the page is all reordering takes.
(() => {
  const form = document.getElementById("program-form");
  if (!form) return;

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

  // Options matter only to a choice question.
  const showOptions = (row) => {
    const kind = row.querySelector("[data-kind]");
    if (!kind) return;
    for (const el of row.querySelectorAll(".builder-options")) el.hidden = kind.value !== "choice";
  };

  form.addEventListener("click", (ev) => {
    const add = ev.target.closest("[data-add]");
    if (add) {
      const list = form.querySelector(`[data-list="${add.dataset.add}"]`);
      const row = document.getElementById(`tpl-${add.dataset.add}`).content.firstElementChild.cloneNode(true);
      list.append(row);
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
})();
