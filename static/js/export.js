// Downloads an export with a progress bar; without this file the link
// downloads the plain way. Progress counts rows for CSV (one line each,
// against X-Total-Rows) and bytes otherwise (against Content-Length).
document.addEventListener("click", async (ev) => {
  const link = ev.target.closest("a[data-export]");
  const box = link && link.closest("[data-export-box]");
  if (!box || !window.fetch || !window.ReadableStream || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
  ev.preventDefault();
  if (box.dataset.busy) return;
  box.dataset.busy = "1";
  const wrap = box.querySelector(".export-progress");
  const bar = wrap.querySelector("progress");
  const label = wrap.querySelector("[role=status]");
  wrap.hidden = false;
  bar.hidden = false;
  bar.removeAttribute("value");
  label.textContent = box.dataset.progress;
  try {
    const res = await fetch(link.href, { credentials: "same-origin" });
    if (!res.ok || res.redirected) throw new Error("status " + res.status);
    const rows = Number(res.headers.get("X-Total-Rows")) || 0;
    const isCSV = (res.headers.get("Content-Type") || "").startsWith("text/csv");
    // A workbook is a zip already: compressed in transit, its length stays
    // close to the bytes read here, whereas a CSV's does not.
    const total = isCSV ? rows : Number(res.headers.get("Content-Length")) || 0;
    const fmt = new Intl.NumberFormat(document.documentElement.lang);
    const reader = res.body.getReader();
    const parts = [];
    let seen = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      if (isCSV) {
        for (const b of value) if (b === 10) seen++;
      } else {
        seen += value.length;
      }
      if (total > 0) {
        // The CSV's first line is its header.
        const n = Math.min(isCSV ? Math.max(seen - 1, 0) : seen, total);
        bar.max = total;
        bar.value = n;
        label.textContent = isCSV ? fmt.format(n) + " / " + fmt.format(total) : Math.round((100 * n) / total) + "%";
      }
    }
    const name = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") || "");
    const url = URL.createObjectURL(new Blob(parts, { type: res.headers.get("Content-Type") || "" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name ? name[1] : "";
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    bar.max = 1;
    bar.value = 1;
    label.textContent = box.dataset.done;
  } catch {
    bar.hidden = true;
    label.textContent = box.dataset.failed;
  } finally {
    delete box.dataset.busy;
  }
});
