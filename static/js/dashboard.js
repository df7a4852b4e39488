// Keeps the check-in dashboard live from the server's event stream. The
// server works out every number and the chart's geometry; this only puts
// them in place. Without this file the page shows the numbers as they were
// when it loaded.
(() => {
  const root = document.querySelector("[data-dashboard]");
  if (!root || !window.EventSource) return;
  const status = root.querySelector("[data-live-status]");
  const label = status.querySelector("[data-live-label]");
  const svgNS = "http://www.w3.org/2000/svg";
  // Numbers are grouped as the page's language writes them: 1.500, 1,500.
  const num = new Intl.NumberFormat(document.documentElement.lang).format;

  const setStatus = (live) => {
    status.hidden = false;
    status.classList.toggle("is-live", live);
    label.textContent = live ? status.dataset.liveText : status.dataset.reconnectingText;
  };

  const svg = (name, attrs, text) => {
    const el = document.createElementNS(svgNS, name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    if (text !== undefined) el.textContent = text;
    return el;
  };

  const drawGates = (gates) => {
    const list = root.querySelector("[data-live-gates]");
    list.replaceChildren(
      ...gates.map((g) => {
        const li = document.createElement("li");
        const name = document.createElement("span");
        const n = document.createElement("strong");
        name.textContent = g.name;
        n.textContent = num(g.entries);
        li.append(name, n);
        return li;
      }),
    );
    root.querySelector("[data-live-gates-empty]").hidden = gates.length > 0;
  };

  const drawChart = (chart) => {
    root.querySelector("[data-chart-peak]").textContent = num(chart.peak);
    root.querySelector("[data-chart-summary]").textContent = chart.summary;
    root.querySelector("[data-chart-bars]").replaceChildren(
      ...chart.bars.map((b) => {
        const rect = svg("rect", { x: b.x, y: b.y, width: b.w, height: b.h, rx: 2 });
        rect.append(svg("title", {}, b.title));
        return rect;
      }),
    );
    root.querySelector("[data-chart-ticks]").replaceChildren(
      ...chart.ticks.map((t) => svg("text", { x: t.x, y: 212, "text-anchor": "middle" }, t.label)),
    );
  };

  const draw = (d) => {
    root.querySelectorAll("[data-live]").forEach((el) => {
      const v = d[el.dataset.live];
      if (v !== undefined) el.textContent = typeof v === "number" ? num(v) : String(v);
    });
    drawGates(d.gates);
    drawChart(d.chart);
  };

  root.querySelector("[data-reload-hint]").hidden = true;
  const connect = () => {
    const es = new EventSource(root.dataset.liveUrl);
    es.addEventListener("open", () => setStatus(true));
    es.addEventListener("counts", (ev) => {
      setStatus(true);
      draw(JSON.parse(ev.data));
    });
    es.addEventListener("error", () => {
      setStatus(false);
      // The browser retries by itself unless the server refused the
      // stream (a session that ended, say); then try again a little later.
      if (es.readyState === EventSource.CLOSED) setTimeout(connect, 10000);
    });
  };
  connect();
})();
