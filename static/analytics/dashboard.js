/* Support analytics dashboard: every number on the page comes from /api/analytics/*. */
(function () {
  "use strict";

  var script = document.currentScript;
  var storeTimezone = script.getAttribute("data-store-timezone") || "UTC";
  var form = document.getElementById("analytics-filters");
  var statusLine = document.getElementById("analytics-status");
  var chart = null;
  var state = { summary: null, series: null, agents: null, channels: null, loads: 0 };
  window.analyticsDashboard = state;

  var COLUMNS = [
    ["conversations_created", "Created", "count"],
    ["conversations_assigned", "Assigned", "count"],
    ["conversations_closed", "Resolved", "count"],
    ["conversations_reopened", "Reopened", "count"],
    ["agent_replies", "Agent replies", "count"],
    ["customer_replies", "Customer replies", "count"],
    ["avg_first_response_seconds", "Avg first response", "duration"],
    ["avg_resolution_seconds", "Avg resolution", "duration"],
    ["avg_reply_seconds", "Avg reply", "duration"],
  ];

  function todayIn(zone) {
    // en-CA formats dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date());
  }

  function shiftDate(isoDate, days) {
    var d = new Date(isoDate + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }

  function formatDuration(seconds) {
    if (seconds === null || seconds === undefined) return "–";
    var s = Math.round(seconds);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    if (h) return h + "h " + m + "m";
    if (m) return m + "m " + r + "s";
    return r + "s";
  }

  function formatValue(value, kind) {
    if (kind === "duration") return formatDuration(value);
    return value === null || value === undefined ? "–" : String(value);
  }

  function changeText(current, previous, kind) {
    if (previous === null || previous === undefined || current === null) return "no earlier data";
    if (previous === 0) return current === 0 ? "no change" : "new vs previous period";
    var percent = Math.round(((current - previous) / previous) * 100);
    var sign = percent > 0 ? "+" : "";
    var better = kind === "duration" ? percent < 0 : percent > 0;
    return { text: sign + percent + "% vs previous period", better: percent === 0 ? null : better };
  }

  function filters() {
    var data = new FormData(form);
    var params = new URLSearchParams();
    data.forEach(function (value, key) { if (value) params.set(key, value); });
    return params;
  }

  function getJson(path, params) {
    return fetch(path + "?" + params.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.error || ("HTTP " + response.status));
          return body;
        });
      });
  }

  function renderKpis(summary) {
    document.querySelectorAll(".kpi").forEach(function (card) {
      var key = card.getAttribute("data-metric");
      var kind = card.getAttribute("data-kind");
      var value = summary[key];
      var valueBox = card.querySelector('[data-role="value"]');
      valueBox.textContent = formatValue(value, kind);
      valueBox.setAttribute("data-value", value === null ? "" : String(value));
      var changeBox = card.querySelector('[data-role="change"]');
      if (!changeBox) return;
      var change = changeText(value, summary.previous[key], kind);
      changeBox.classList.remove("better", "worse");
      if (typeof change === "string") { changeBox.textContent = change; return; }
      changeBox.textContent = change.text;
      if (change.better !== null) changeBox.classList.add(change.better ? "better" : "worse");
    });
  }

  function renderTable(table, rows, firstHeader) {
    var head = "<tr><th>" + firstHeader + "</th>" + COLUMNS.map(function (c) { return "<th>" + c[1] + "</th>"; }).join("") + "</tr>";
    table.tHead.innerHTML = head;
    var body = table.tBodies[0];
    body.textContent = "";
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-id", row.id);
      var name = document.createElement("td");
      name.setAttribute("data-label", firstHeader);
      name.textContent = row.name || row.id;
      tr.appendChild(name);
      COLUMNS.forEach(function (column) {
        var td = document.createElement("td");
        td.setAttribute("data-metric", column[0]);
        td.setAttribute("data-label", column[1]);
        td.setAttribute("data-value", row[column[0]] === null ? "" : String(row[column[0]]));
        td.textContent = formatValue(row[column[0]], column[2]);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    if (!rows.length) body.innerHTML = '<tr><td colspan="10" class="muted">Nothing yet.</td></tr>';
  }

  function fillSelect(select, rows) {
    var chosen = select.value;
    while (select.options.length > 1) select.remove(1);
    rows.forEach(function (row) {
      var option = new Option(row.name || row.id, row.id);
      select.add(option);
    });
    select.value = chosen;
  }

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  // "2026-11-02T00:00:00+05:30" → "2 Nov" (days and weeks), "2 Nov 10:00" (hours): the
  // bucket's local time as the API wrote it, with no "00:00" on a day.
  function bucketLabel(start, interval) {
    var day = parseInt(start.slice(8, 10), 10) + " " + MONTHS[parseInt(start.slice(5, 7), 10) - 1];
    return interval === "hour" ? day + " " + start.slice(11, 16) : day;
  }

  function renderChart(series, metric, interval) {
    var isDuration = metric.indexOf("avg_") === 0;
    var labels = series.map(function (point) { return bucketLabel(point.start, interval); });
    var values = series.map(function (point) { return point.value; });
    var label = document.querySelector('#series-metric option[value="' + metric + '"]').textContent;
    if (chart) chart.destroy();
    chart = new window.Chart(document.getElementById("series-chart"), {
      type: isDuration ? "line" : "bar",
      data: { labels: labels, datasets: [{ label: label + (isDuration ? " (seconds)" : ""), data: values, backgroundColor: "#4f7cff", borderColor: "#4f7cff" }] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: { x: { ticks: { autoSkip: true, maxRotation: 0 } }, y: { beginAtZero: true } },
      },
    });
    state.chart = chart;
  }

  function loadSeries() {
    var params = filters();
    var metric = document.getElementById("series-metric").value;
    var interval = document.getElementById("series-interval").value;
    params.set("metric", metric);
    params.set("interval", interval);
    return getJson("/api/analytics/timeseries", params).then(function (series) {
      state.series = series;
      renderChart(series, metric, interval);
    });
  }

  function load() {
    var params = filters();
    statusLine.textContent = "Loading…";
    var csvParams = new URLSearchParams(params);
    csvParams.set("format", "csv");
    document.getElementById("agents-csv").href = "/api/analytics/agents?" + csvParams.toString();
    document.getElementById("channels-csv").href = "/api/analytics/channels?" + csvParams.toString();
    history.replaceState(null, "", "?" + params.toString());
    return Promise.all([
      getJson("/api/analytics/summary", params).then(function (summary) { state.summary = summary; renderKpis(summary); }),
      getJson("/api/analytics/agents", params).then(function (rows) { state.agents = rows; renderTable(document.getElementById("agents-table"), rows, "Agent"); }),
      getJson("/api/analytics/channels", params).then(function (rows) { state.channels = rows; renderTable(document.getElementById("channels-table"), rows, "Channel"); }),
      loadSeries(),
    ]).then(function () {
      state.loads += 1;
      statusLine.textContent = params.get("start") + " – " + params.get("end") + " (" + params.get("tz") + ")";
      document.body.setAttribute("data-analytics-loaded", String(state.loads));
    }).catch(function (error) {
      statusLine.textContent = "Could not load the figures: " + error.message;
      document.body.setAttribute("data-analytics-error", error.message);
    });
  }

  function loadChoices() {
    var params = new URLSearchParams({ start: form.start.value, end: form.end.value, tz: form.tz.value });
    return Promise.all([
      getJson("/api/analytics/agents", params).then(function (rows) { fillSelect(document.getElementById("filter-agent"), rows); }),
      getJson("/api/analytics/channels", params).then(function (rows) { fillSelect(document.getElementById("filter-channel"), rows); }),
    ]);
  }

  // Start from the URL (shareable links), else the last 30 days in the store's timezone.
  var query = new URLSearchParams(window.location.search);
  form.tz.value = query.get("tz") || storeTimezone;
  form.end.value = query.get("end") || todayIn(form.tz.value);
  form.start.value = query.get("start") || shiftDate(form.end.value, -29);
  form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
  document.getElementById("series-metric").addEventListener("change", loadSeries);
  document.getElementById("series-interval").addEventListener("change", loadSeries);
  loadChoices().then(function () {
    if (query.get("agent")) form.agent.value = query.get("agent");
    if (query.get("channel")) form.channel.value = query.get("channel");
    return load();
  }).catch(function (error) {
    statusLine.textContent = "Could not load the figures: " + error.message;
    document.body.setAttribute("data-analytics-error", error.message);
  });
})();
