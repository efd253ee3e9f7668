"use strict";
// The auditor page: a thin client of the JSON API. The token stays in this
// tab's sessionStorage and travels only in the Authorization header.
(function () {
  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem("clearpack-token") || "";

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "onclick") e.addEventListener("click", v);
      else e.setAttribute(k, v);
    }
    for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
    return e;
  }

  async function api(path) {
    const r = await fetch(path, { headers: { Authorization: "Bearer " + token } });
    if (!r.ok) {
      let msg = r.status + " " + r.statusText;
      try { msg = (await r.json()).error || msg; } catch (_) { /* not JSON */ }
      throw new Error(msg);
    }
    return r;
  }
  const json = async (path) => (await api(path)).json();

  function show(err) { $("error").textContent = err ? String(err.message || err) : ""; }
  function crumbs(parts) {
    const n = $("crumbs");
    n.replaceChildren();
    for (const [label, fn] of parts) n.append(el("a", { onclick: fn }, label), " / ");
  }
  function guard(fn) {
    return async (...a) => { show(); try { await fn(...a); } catch (e) { show(e); } };
  }
  const enc = encodeURIComponent;

  const programs = guard(async () => {
    const d = await json("/api/programs");
    crumbs([["Programs", programs]]);
    const t = el("table", { id: "programs" }, el("tr", {}, el("th", {}, "Program")));
    for (const p of d.programs) {
      t.append(el("tr", {}, el("td", {}, el("a", { "data-program": p.name, onclick: () => shipments(p.name) }, p.name))));
    }
    $("view").replaceChildren(el("h2", {}, "Programs"), t);
  });

  const shipments = guard(async (program) => {
    const d = await json("/api/programs/" + enc(program) + "/shipments");
    crumbs([["Programs", programs], [program, () => shipments(program)]]);
    const t = el("table", { id: "shipments" },
      el("tr", {}, el("th", {}, "Shipment"), el("th", {}, "Packs"), el("th", {}, "Current"), el("th", {}, "Rejected reports")));
    for (const s of d.shipments) {
      t.append(el("tr", {},
        el("td", {}, el("a", { "data-shipment": s.id, onclick: () => packs(program, s.id) }, s.id)),
        el("td", {}, s.packs), el("td", {}, s.latest || "none"), el("td", {}, s.rejected)));
    }
    $("view").replaceChildren(el("h2", {}, "Shipments of " + program), t);
  });

  const packs = guard(async (program, shipment) => {
    const d = await json("/api/programs/" + enc(program) + "/shipments/" + enc(shipment) + "/packs");
    crumbs([["Programs", programs], [program, () => shipments(program)], [shipment, () => packs(program, shipment)]]);
    const view = [el("h2", {}, "Shipment " + shipment)];
    for (const p of d.packs) {
      const base = "/api/programs/" + enc(program) + "/shipments/" + enc(shipment) + "/packs/" + p.version;
      const status = el("span", { class: "status", id: "status-" + p.version }, p.complete ? "" : "incomplete (no manifest)");
      const out = el("div", { id: "out-" + p.version });
      const t = el("table", {}, el("tr", {}, el("th", {}, "File"), el("th", {}, "Size"), el("th", {}, "Retained until"), el("th", {}, "Legal hold"), el("th", {}, "")));
      for (const f of p.files) {
        t.append(el("tr", {},
          el("td", {}, f.name), el("td", {}, f.size),
          el("td", {}, f.retainUntil ? (f.retentionMode + " " + f.retainUntil) : "not reported"),
          el("td", {}, f.legalHold ? "yes" : "no"),
          el("td", {}, el("a", { "data-download": f.name, onclick: guard(() => download(f.url, shipment + "-" + p.version + "-" + f.name)) }, "Download"),
            f.name.endsWith(".pdf") ? " " : "",
            f.name.endsWith(".pdf") ? el("a", { "data-preview": f.name, onclick: guard(() => preview(f.url, f.name, out)) }, "Preview") : "")));
      }
      const verifyBtn = el("button", { "data-verify": p.version, onclick: guard(async () => {
        status.textContent = "verifying…";
        const v = await json(base + "/verify");
        status.className = "status " + (v.ok ? "ok" : "bad");
        status.textContent = v.ok ? "Verified: " + v.checks.length + " checks passed"
          : "FAILED: " + v.firstFailure.kind + ": " + v.firstFailure.object + ": " + v.firstFailure.detail;
      }) }, "Verify");
      const proofBtn = el("button", { "data-proof": p.version, onclick: guard(async () => {
        const pr = await json(base + "/proof");
        out.replaceChildren(el("p", {}, "Audit log entry " + pr.index + " is in the tree of size " + pr.treeSize + " (root " + pr.rootHash + "):"),
          el("pre", {}, pr.checkpoint), el("pre", {}, JSON.stringify(pr.proof, null, 1)));
      }) }, "Inclusion proof");
      const facts = el("div", { class: "facts", id: "facts-" + p.version });
      view.push(el("div", { class: "pack", "data-pack": p.version },
        el("h3", {}, p.version + " ", status), facts, t, verifyBtn, " ", proofBtn, out));
      if (p.complete) json(base + "/facts").then((f) => facts.replaceChildren(...factsInWords(f.predicate, f.subjects)))
        .catch((e) => { facts.className = "facts bad"; facts.textContent = "The manifest's facts could not be shown: " + e.message; });
      if (p.complete) verifyBtn.click(); // the result shows without a click
    }
    $("view").replaceChildren(...view);
  });

  // A pack's signed manifest in sentences.
  function factsInWords(m, subjects) {
    const p = [];
    const v = (n) => "v" + String(n).padStart(4, "0");
    p.push(el("p", {}, "Version " + m.version + " of shipment " + m.shipment + " (program " + m.program + "), dated " +
      (m.created || "").slice(0, 10) + ": " + (m.direction === "return" ? "a return for refurbishment" : "a forward shipment") +
      " from " + (m.origin || "?") + " to " + (m.destination || "?") + ". It holds " + subjects.length + " signed documents."));
    if (m.supersedes) {
      let t = "It supersedes " + v(m.supersedes) + ".";
      if (m.amendment) {
        t += " It amends it for a change of " + m.amendment.reason + ": " + (m.amendment.reused || []).length +
          " document(s) carried over byte for byte (" + (m.amendment.reused || []).join(", ") + ")" +
          (m.amendment.checksFrom ? "; the checks of " + v(m.amendment.checksFrom) + " still hold and were not run again." : ".");
      }
      p.push(el("p", {}, t));
    } else p.push(el("p", {}, "It is the first version; it supersedes nothing."));
    if (m.clearance) {
      const c = m.clearance;
      p.push(el("p", {}, "Customs entry " + c.entryNumber + (c.entryDate ? " of " + c.entryDate : "") +
        (c.port ? " at " + c.port : "") + (c.releaseDate ? ", released " + c.releaseDate : ", not yet released") +
        (c.held ? ", after a hold at the border." : ", without a hold.")));
    } else p.push(el("p", {}, "No customs clearance is recorded in this version."));
    const checks = m.checks || [];
    const by = {};
    for (const c of checks) (by[c.status] = by[c.status] || []).push(c);
    const parts = Object.entries(by).map(([st, cs]) => cs.length + " " + st);
    const list = el("ul", { class: "checks" });
    for (const c of checks.filter((c) => c.status !== "pass")) list.append(el("li", {}, c.rule + " (" + c.status + "): " + (c.detail || "") + (c.source ? " [" + c.source + "]" : "")));
    p.push(el("p", {}, checks.length + " compliance checks: " + (parts.join(", ") || "none") + "."), list);
    p.push(el("p", { class: "muted" }, "Made from " + (m.inputs || []).map((i) => i.name + " (sha256 " + ((i.digest || {}).sha256 || "").slice(0, 12) + "…)").join(", ") +
      " with rules " + m.rulesVersion + " and templates " + m.templateVersion + "; signed by key " + m.keyId.slice(0, 16) + "…"));
    return p;
  }

  // A PDF shown in the page: the server draws a page as a picture (every
  // browser shows it, headless ones too). Fetching it is a retrieval like a
  // download and is recorded in the audit log. Without pdftoppm on the
  // server (501) the PDF itself is shown in a frame.
  async function preview(url, name, out, page = 1) {
    const r = await fetch(url.replace("/files/", "/preview/") + "?page=" + page, { headers: { Authorization: "Bearer " + token } });
    if (r.status === 501) return previewFrame(url, name, out, (await r.json()).error);
    if (r.status === 404 && page > 1) {
      out.querySelector("[data-next-page]")?.replaceWith(el("span", { class: "muted" }, "(the last page)"));
      return;
    }
    if (!r.ok) {
      let msg = r.status + " " + r.statusText;
      try { msg = (await r.json()).error || msg; } catch (_) { /* not JSON */ }
      throw new Error(msg);
    }
    const img = el("img", { class: "preview", "data-preview-of": name, "data-page": String(page), alt: "Page " + page + " of " + name,
      src: URL.createObjectURL(await r.blob()) });
    const nav = el("p", { class: "muted" }, "Preview of " + name + ", page " + page + " (recorded in the audit log as a retrieval) ",
      page > 1 ? el("a", { "data-prev-page": "", onclick: guard(() => preview(url, name, out, page - 1)) }, "Previous page") : "",
      page > 1 ? " " : "",
      el("a", { "data-next-page": "", onclick: guard(() => preview(url, name, out, page + 1)) }, "Next page"));
    out.replaceChildren(nav, img);
  }
  async function previewFrame(url, name, out, why) {
    const r = await api(url);
    const blob = new Blob([await r.blob()], { type: "application/pdf" });
    const frame = el("iframe", { class: "preview", "data-preview-of": name, title: name, src: URL.createObjectURL(blob) });
    out.replaceChildren(el("p", { class: "muted" }, "Preview of " + name + " in the browser's PDF viewer (recorded in the audit log as a retrieval); " +
      "no page picture because: " + why), frame);
  }

  // Search: the query box, its results, a unit's history, the capability chart.
  function statusWords(h) {
    const w = { cleared: "cleared", held: "cleared after a hold", "not-cleared": "no clearance recorded yet",
      stopped: "stopped at the desk", fault: "FAULT" }[h.status] || h.status;
    return h.supersededBy ? w + " (superseded by v" + String(h.supersededBy).padStart(4, "0") + ")" : w;
  }
  function version(n) { return n ? "v" + String(n).padStart(4, "0") : "none"; }
  // The first autoVerify results are verified as the page opens; the rest
  // on a click, so a broad query does not start hundreds of verifications.
  const autoVerify = 20;
  function verifyCell(h, i) {
    const c = el("td", { class: "status", "data-verify-result": h.key }, h.version ? "verifying…" : (h.reasons || []).join("; "));
    if (!h.version) return c;
    if (i >= autoVerify) {
      c.replaceChildren(el("button", { onclick: () => { c.textContent = "verifying…"; runVerify(h, c); } }, "Verify"));
      return c;
    }
    runVerify(h, c);
    return c;
  }
  function runVerify(h, c) {
    const base = "/api/programs/" + enc(h.program) + "/shipments/" + enc(h.shipment) + "/packs/" + version(h.version);
    json(base + "/verify").then((v) => {
      c.className = "status " + (v.ok ? "ok" : "bad");
      c.textContent = v.ok ? "Verified (" + v.checks.length + " checks)"
        : "FAULT: " + v.firstFailure.kind + ": " + v.firstFailure.object + ": " + v.firstFailure.detail;
    }, (e) => { c.className = "status bad"; c.textContent = "could not verify: " + e.message; });
  }
  function mentionsCell(h) {
    const by = {};
    for (const m of h.mentions) {
      const k = m.fields.replace(/_/g, " ") + " " + m.term;
      (by[k] = by[k] || []).push(m.document || "the pack");
    }
    const td = el("td", { class: "mentions" });
    for (const [k, docs] of Object.entries(by)) {
      const unit = /^(serial|asset tag) /.exec(k);
      const label = unit ? el("a", { "data-unit": k.slice(unit[0].length), onclick: () => unitHistory(k.slice(unit[0].length)) }, k) : k;
      td.append(el("div", {}, label, " in ", docs.join(", ")));
    }
    return td;
  }
  function hitsTable(hits, withUnitCols) {
    const t = el("table", { id: "hits" }, el("tr", {},
      el("th", {}, withUnitCols ? "Date" : "Program"), el("th", {}, "Shipment"), el("th", {}, "Version"),
      el("th", {}, "Route"), el("th", {}, "Status"), el("th", {}, "Found in"), el("th", {}, "Verification")));
    for (const [i, h] of hits.entries()) {
      t.append(el("tr", { "data-hit": h.key },
        el("td", {}, withUnitCols ? (h.created + " · " + h.program) : h.program),
        el("td", {}, el("a", { "data-shipment": h.shipment, onclick: () => packs(h.program, h.shipment) }, h.shipment)),
        el("td", {}, version(h.version)),
        el("td", {}, (h.origin || "?") + " → " + (h.destination || "?") + (h.direction === "return" ? " (return)" : "")),
        el("td", {}, statusWords(h) + (h.invoiceNumber ? " · invoice " + h.invoiceNumber : "") +
          (h.entryNumber ? " · entry " + h.entryNumber + (h.releaseDate ? " released " + h.releaseDate : "") : "")),
        mentionsCell(h), verifyCell(h, i)));
    }
    return t;
  }

  const runSearch = guard(async () => {
    const p = new URLSearchParams();
    const q = $("q").value.trim();
    if (q) p.set("q", q);
    if ($("f-dest").value.trim()) p.set("destination", $("f-dest").value.trim());
    if ($("f-status").value) p.set("status", $("f-status").value);
    if ($("f-from").value) p.set("from", $("f-from").value);
    if ($("f-to").value) p.set("to", $("f-to").value);
    if (($("f-from").value || $("f-to").value) && $("f-date").value !== "created") p.set("date", $("f-date").value);
    crumbs([["Programs", programs]]);
    const d = await json("/api/search?" + p.toString());
    const head = el("p", { id: "hit-count", class: "muted" },
      d.hits.length === 0 ? "Nothing in the archive matches “" + (q || p.toString()) + "”."
        : d.hits.length + (d.truncated ? "+" : "") + " pack(s) match “" + (q || p.toString()) + "” (" + d.tookMs.toFixed(1) + " ms).");
    const ev = d.hits.some((h) => h.version) ? el("button", { id: "evidence", onclick: guard(() => download("/api/evidence?" + p.toString(), "evidence.zip")) },
      "Download evidence package (the packs, their proofs, the checkpoint and AUDITOR.md; recorded in the audit log)") : "";
    $("view").replaceChildren(el("h2", {}, "Search"), head, ev, d.hits.length ? hitsTable(d.hits, false) : "");
  });

  const unitHistory = guard(async (id) => {
    const d = await json("/api/units/" + enc(id));
    crumbs([["Programs", programs], ["unit " + id, () => unitHistory(id)]]);
    const t = el("table", { id: "history" }, el("tr", {}, el("th", {}, "Date"), el("th", {}, "Program"),
      el("th", {}, "Shipment"), el("th", {}, "Version"), el("th", {}, "Route"), el("th", {}, "Status"), el("th", {}, "Verification")));
    for (const h of d.packs) {
      t.append(el("tr", { "data-hit": h.key }, el("td", {}, h.created || ""), el("td", {}, h.program),
        el("td", {}, el("a", { onclick: () => packs(h.program, h.shipment) }, h.shipment)), el("td", {}, version(h.version)),
        el("td", {}, (h.origin || "?") + " → " + (h.destination || "?") + (h.direction === "return" ? " (return for refurbishment)" : "")),
        el("td", {}, statusWords(h)),
        el("td", { class: "status " + (h.verified ? "ok" : "bad") }, h.verified ? "Verified" : h.verification)));
    }
    $("view").replaceChildren(el("h2", {}, "History of unit " + id),
      el("p", { class: "muted" }, d.packs.length + " pack(s) across " + new Set(d.packs.map((h) => h.program)).size + " program(s), oldest first."), t);
  });

  const capability = guard(async () => {
    const d = await json("/api/capability");
    crumbs([["Programs", programs], ["Capability", capability]]);
    const kinds = ["executed", "cleared", "held", "stopped"];
    const legend = el("p", { class: "legend" }, ...kinds.map((k) => el("span", {}, el("i", { class: "c-" + k }), k)));
    const t = el("table", { id: "capability" }, el("tr", {}, el("th", {}, "Destination"),
      ...kinds.map((k) => el("th", {}, k[0].toUpperCase() + k.slice(1))), el("th", {}, "By month")));
    const NS = "http://www.w3.org/2000/svg";
    const svg = (tag, attrs) => { const e = document.createElementNS(NS, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); return e; };
    let max = 1;
    for (const c of d.destinations) for (const m of c.months) for (const k of kinds) max = Math.max(max, m[k]);
    for (const c of d.destinations) {
      const months = c.months;
      const bw = 8, gap = 30, H = 60, W = Math.max(120, months.length * (kinds.length * bw + gap));
      const chart = svg("svg", { class: "chart", width: W, height: H + 16, "data-country": c.country, role: "img",
        "aria-label": c.country + ": " + months.map((m) => (m.month || "undated") + " " + kinds.map((k) => k + " " + m[k]).join(", ")).join("; ") });
      months.forEach((m, i) => {
        const x0 = i * (kinds.length * bw + gap);
        kinds.forEach((k, j) => {
          const h = Math.round((m[k] / max) * H);
          chart.append(svg("rect", { class: "c-" + k, x: x0 + j * bw, y: H - h, width: bw - 1, height: h }));
        });
        const label = svg("text", { x: x0, y: H + 12 });
        label.textContent = m.month || "undated";
        chart.append(label);
      });
      t.append(el("tr", { "data-country": c.country }, el("td", {}, c.country),
        ...kinds.map((k) => el("td", {}, c[k])), el("td", {}, chart)));
    }
    $("view").replaceChildren(el("h2", {}, "What the archive proves, per destination"),
      el("p", { class: "muted" }, "Executed: shipments with a signed pack (counted in the month of the pack date). Cleared: released by customs (month of release); held: released after a hold. Stopped: stopped at the desk, never packed."),
      legend, t);
  });

  $("searchform").addEventListener("submit", (ev) => { ev.preventDefault(); runSearch(); });
  $("cap-link").addEventListener("click", (ev) => { ev.preventDefault(); capability(); });

  async function download(url, name) {
    const r = await api(url);
    const blob = await r.blob();
    const a = el("a", { href: URL.createObjectURL(blob), download: name });
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 10000);
  }

  $("login").addEventListener("submit", (ev) => {
    ev.preventDefault();
    token = $("token").value.trim();
    sessionStorage.setItem("clearpack-token", token);
    $("token").value = "";
    $("searchform").hidden = false;
    programs();
  });
  if (token) { $("searchform").hidden = false; programs(); }
})();
