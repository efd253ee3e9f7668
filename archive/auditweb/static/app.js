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
          el("td", {}, el("a", { "data-download": f.name, onclick: guard(() => download(f.url, shipment + "-" + p.version + "-" + f.name)) }, "Download"))));
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
      view.push(el("div", { class: "pack", "data-pack": p.version },
        el("h3", {}, p.version + " ", status), t, verifyBtn, " ", proofBtn, out));
    }
    $("view").replaceChildren(...view);
  });

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
    programs();
  });
  if (token) programs();
})();
