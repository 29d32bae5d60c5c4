// oncocite's page, options section: the treatment-options explorer form and its
// results. Uses el(), call() and showError() from app.js (loaded first). Every piece
// of text from the server is written with textContent, never as HTML.
"use strict";

const STATUS = {
  matches: "The sources describe these for a profile like yours",
  needs_information: "More information is needed for these",
  does_not_match: "Not for a profile like yours",
};

function factCitation(c) {
  if (c.kind === "quote") {
    return el("li", {}, el("q", { class: "quote" }, c.quote || ""),
      el("span", { class: "meta" }, `${c.title}${c.source ? " · " + c.source : ""}${c.version ? " · version " + c.version : ""}`));
  }
  const link = c.url ? el("a", { href: c.url, rel: "noopener" }, c.title) : c.title;
  return el("li", {}, link, el("span", { class: "meta" }, `${c.source ? " · " + c.source : ""}${c.date ? " · " + c.date : ""}`));
}

function renderOptions(report) {
  const box = document.getElementById("options");
  const parts = [el("p", { class: "notice" }, report.reminder)];
  for (const [status, title] of Object.entries(STATUS)) {
    const chosen = report.options.filter((o) => o.status === status);
    if (!chosen.length) continue;
    parts.push(el("h3", {}, title));
    const list = el("ul", { class: "options" });
    for (const o of chosen) {
      const name = o.brands && o.brands.length ? `${o.name} (${o.brands.join(", ")})` : o.name;
      const item = el("li", { "data-option": o.id }, el("span", { class: "status" }, name),
        o.draft ? el("span", { class: "draft" }, " — draft, not yet confirmed by a reviewer") : null,
        el("ul", {}, ...o.reasons.map((r) => el("li", {}, r))));
      if (status !== "does_not_match") {
        const details = el("details", {}, el("summary", {}, "Sources"), el("ul", {}, ...o.citations.map(factCitation)));
        item.append(details);
      }
      list.append(item);
    }
    parts.push(list);
  }
  if (report.questions.length) {
    parts.push(el("h3", {}, "Questions to take to your care team"),
      el("ul", {}, ...report.questions.map((q) => el("li", {}, q))));
  }
  if (report.as_of) parts.push(el("p", { class: "meta" }, `As of ${report.as_of}.`));
  box.replaceChildren(...parts);
}

document.getElementById("options-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const box = document.getElementById("options");
  const form = new FormData(event.target);
  const profile = { hormone_receptor: form.get("hormone_receptor"), her2: form.get("her2"), region: form.get("region") };
  for (const key of ["stage", "setting"]) if (form.get(key)) profile[key] = form.get(key);
  for (const key of ["residual_disease", "high_recurrence_risk", "germline_brca"]) {
    if (form.get(key)) profile[key] = form.get(key) === "true";
  }
  if (form.get("prior_her2_regimens")) profile.prior_her2_regimens = Number(form.get("prior_her2_regimens"));
  if (form.get("pd_l1_cps")) profile.pd_l1_cps = Number(form.get("pd_l1_cps"));
  if (form.get("prior_drug")) {
    const months = form.get("prior_months");
    profile.prior_treatments = [{ drug: form.get("prior_drug"), months_since_last: months ? Number(months) : null }];
  }
  box.replaceChildren(el("p", { class: "meta" }, "Checking the knowledge base…"));
  try {
    renderOptions(await call("POST", "/v1/options", profile));
  } catch (error) {
    showError(box, error);
  }
});
