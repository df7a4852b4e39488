// The organizer's floor workspace: a click on a booth opens its panel in
// place instead of loading the whole page again. Without this file each
// booth is a link to the same page with its panel open.
(() => {
  const workspace = document.querySelector("[data-floor-workspace]");
  if (!workspace || !window.fetch || !window.DOMParser) return;

  let shown = window.location.pathname;

  const select = (id) => {
    workspace.querySelectorAll(".floor-svg a[data-booth] rect").forEach((r) => {
      r.classList.toggle("booth-selected", r.parentElement.dataset.booth === id);
    });
  };

  const open = async (href, id, push) => {
    let res;
    try {
      res = await fetch(href, { credentials: "same-origin", headers: { Accept: "text/html" } });
    } catch {
      window.location.href = href;
      return;
    }
    if (!res.ok || res.redirected) {
      window.location.href = href;
      return;
    }
    const doc = new DOMParser().parseFromString(await res.text(), "text/html");
    const fresh = doc.getElementById("booth-panel");
    const current = document.getElementById("booth-panel");
    if (!fresh || !current) {
      window.location.href = href;
      return;
    }
    current.replaceWith(document.importNode(fresh, true));
    select(id);
    document.title = doc.title;
    if (push) history.pushState({ booth: id }, "", href);
    shown = window.location.pathname;
    document.getElementById("booth-panel").focus({ preventScroll: window.matchMedia("(min-width: 961px)").matches });
  };

  workspace.addEventListener("click", (ev) => {
    const link = ev.target.closest("a[data-booth]");
    if (!link || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.button !== 0) return;
    ev.preventDefault();
    open(link.getAttribute("href"), link.dataset.booth, true);
  });

  // Back and forward go through the booths opened, or back to the plan; a
  // jump to an anchor of the same page is no reason to reload.
  window.addEventListener("popstate", () => {
    if (window.location.pathname !== shown) window.location.reload();
  });
})();
