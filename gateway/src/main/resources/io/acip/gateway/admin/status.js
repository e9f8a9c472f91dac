// The status page: reads the admin JSON (/status, /routes, /agents) every 2 s and fills the tables. Text only goes
// in through textContent, so nothing a peer named (a skill, a path, a detail) can become markup.
"use strict";
const previous = {};

function row(table, cells, classes, span) {
  const tr = document.createElement("tr");
  cells.forEach((c, i) => {
    const td = document.createElement("td");
    if (span) td.colSpan = span;
    td.textContent = c === null || c === undefined ? "–" : String(c);
    if (classes && classes[i]) td.className = classes[i];
    tr.appendChild(td);
  });
  table.tBodies[0].appendChild(tr);
}

function fill(id, rows, classes, empty) {
  const table = document.getElementById(id);
  table.tBodies[0].replaceChildren();
  if (rows.length === 0) row(table, [empty], ["muted"], table.tHead.rows[0].cells.length);
  rows.forEach(r => row(table, r, classes));
}

async function get(path) {
  const answer = await fetch(path, { credentials: "same-origin", cache: "no-store" });
  if (!answer.ok) throw new Error(path + ": " + answer.status);
  return answer.json();
}

function skillRows(list) {
  return list.map(s => [s.skill, s.active, s.count, s.failed, s.mean_ms + " ms"]);
}

async function refresh() {
  try {
    const [status, routes, agents] = await Promise.all([get("/status"), get("/routes"), get("/agents")]);
    document.getElementById("node").textContent = status.node;
    document.title = "ACIP node " + status.node;
    document.getElementById("sessions").textContent = status.sessions;
    document.getElementById("active").textContent = status.exchanges_active;
    fill("links", status.links.map(l => [l.neighbour, l.rtt_ms === null ? "measuring" : l.rtt_ms + " ms"]),
        [null, "n"], "no links up");
    fill("edge", skillRows(status.edge_skills), [null, "n", "n", "n", "n"], "no exchanges yet");
    fill("origin", skillRows(status.origin_skills), [null, "n", "n", "n", "n"], "nothing delivered here");
    fill("routes", routes.routes.map(r => [r.prefix + (r.tenant ? " (tenant " + r.tenant + ")" : ""), r.source,
        r.next_hop, (r.path || []).join(" → "), r.best ? "best" : ""]), null, "no routes");
    fill("agents", agents.agents.map(a => [a.agent, a.origin, a.skills.map(s => s.name).join(", "), a.source]), null,
        "no agents attached");
    fill("refusals", status.refusals.map(f => [f.time.replace("T", " ").replace(/\.\d+Z$/, "Z"), f.status, f.error,
        f.request, f.identity, f.detail]), [null, "n bad"], "none");
    fill("counters", Object.entries(status.counters).map(([name, value]) => {
      const delta = name in previous ? value - previous[name] : "";
      previous[name] = value;
      return [name, value, delta === 0 ? "" : delta];
    }), [null, "n", "n"], "none yet");
    document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById("updated").textContent = "could not read the admin API: " + e.message;
  }
}

refresh();
setInterval(refresh, 2000);
