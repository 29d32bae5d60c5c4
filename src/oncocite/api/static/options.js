// oncocite's page, options section: the treatment-options explorer form and its
// results. Uses el(), call() and showError() from app.js (loaded first). Every piece
// of text from the server is written with textContent, never as HTML.
"use strict";

const STATUS = {
  matches: "The sources describe these for a profile like yours",
  needs_information: "More information is needed for these",
};
const NOT_MATCHING = "Not for a profile like yours";
const YES_NO = ["high_recurrence_risk", "nodes_positive", "residual_disease", "recurred",
  "pik3ca", "akt1", "pten", "esr1", "germline_brca"];

// --- The history: one row per treatment, added and removed by the reader ---------

let treatmentCount = 0;

function choice(id, label, options) {
  const select = el("select", { id, name: id });
  for (const [value, text] of options) select.append(el("option", { value }, text));
  return el("div", {}, el("label", { for: id }, label), select);
}

function addTreatment() {
  treatmentCount += 1;
  const n = treatmentCount;
  const drug = el("input", { id: `treatment-${n}-drug`, name: `treatment-${n}-drug`, type: "text",
    autocomplete: "off", maxlength: "200", placeholder: "e.g. letrozole + palbociclib" });
  const remove = el("button", { type: "button", class: "secondary remove" }, "Remove");
  const row = el("li", { class: "treatment", "data-treatment": String(n) },
    el("div", {}, el("label", { for: drug.id }, `Treatment ${n}: drug or drugs`), drug),
    choice(`treatment-${n}-setting`, `Treatment ${n}: given`, [["", "Don't know"],
      ["neoadjuvant", "Before surgery"], ["adjuvant", "After surgery"], ["advanced", "For advanced or secondary cancer"]]),
    choice(`treatment-${n}-progressed`, `Treatment ${n}: did the cancer grow during it?`, [["", "Don't know"],
      ["true", "Yes, it grew or came back"], ["false", "No"]]),
    el("div", {}, el("label", { for: `treatment-${n}-months` }, `Treatment ${n}: months since the last dose`),
      el("input", { id: `treatment-${n}-months`, name: `treatment-${n}-months`, type: "number", min: "0",
        max: "1200", step: "any", inputmode: "decimal" })),
    remove);
  remove.setAttribute("aria-label", `Remove treatment ${n}`);
  remove.addEventListener("click", () => {
    row.remove();
    document.getElementById("add-treatment").focus();
  });
  document.getElementById("treatments").append(row);
  document.getElementById("history_known").value = "listed";
  return drug;
}

function treatments() {
  const rows = [];
  for (const row of document.querySelectorAll("#treatments .treatment")) {
    const n = row.getAttribute("data-treatment");
    const drug = document.getElementById(`treatment-${n}-drug`).value.trim();
    if (!drug) continue;
    const entry = { drug };
    const setting = document.getElementById(`treatment-${n}-setting`).value;
    const progressed = document.getElementById(`treatment-${n}-progressed`).value;
    if (setting) entry.setting = setting;
    if (progressed) entry.progressed = progressed === "true";
    const months = document.getElementById(`treatment-${n}-months`).value;
    if (months) entry.months_since_last = Number(months);
    rows.push(entry);
  }
  return rows;
}

function profileFromForm(form) {
  const data = new FormData(form);
  const profile = { hormone_receptor: data.get("hormone_receptor"), her2: data.get("her2"), region: data.get("region") };
  for (const key of ["stage", "setting"]) if (data.get(key)) profile[key] = data.get(key);
  for (const key of YES_NO) if (data.get(key)) profile[key] = data.get(key) === "true";
  if (data.get("prior_her2_regimens")) profile.prior_her2_regimens = Number(data.get("prior_her2_regimens"));
  if (data.get("pd_l1_cps")) profile.pd_l1_cps = Number(data.get("pd_l1_cps"));
  const listed = treatments();
  if (listed.length) profile.prior_treatments = listed;
  else if (data.get("history_known") === "none") profile.prior_treatments = [];
  return profile;
}

// --- The results: matching and needs-information first, the rest one line each ----

function factCitation(c) {
  if (c.kind === "quote" && !c.quote) {
    // the cited page is not in this library, or no longer says it: no empty quote
    const lacks = c.version ? `no longer said in ${c.title} (version ${c.version})` : "from a page not in this library";
    return el("li", { class: "meta" }, `A quote ${lacks} (${c.doc_id}).`);
  }
  if (c.kind === "quote") {
    return el("li", {}, el("q", { class: "quote" }, c.quote || ""),
      el("span", { class: "meta" }, `${c.title}${c.source ? " · " + c.source : ""}${c.version ? " · version " + c.version : ""}`));
  }
  const link = c.url ? el("a", { href: c.url, rel: "noopener" }, c.title) : c.title;
  return el("li", {}, link, el("span", { class: "meta" }, `${c.source ? " · " + c.source : ""}${c.date ? " · " + c.date : ""}`));
}

function optionName(o) {
  return o.brands && o.brands.length ? `${o.name} (${o.brands.slice(0, 3).join(", ")})` : o.name;
}

function fullOption(o) {
  const item = el("li", { "data-option": o.id }, el("span", { class: "status" }, optionName(o)),
    o.draft ? el("span", { class: "draft" }, " — draft, not yet confirmed by a reviewer") : null,
    el("ul", {}, ...o.reasons.map((r) => el("li", {}, r))));
  if (o.questions && o.questions.length) {
    item.append(el("p", { class: "ask-team" }, "Ask: ", ...o.questions.map((q, i) => (i ? ` ${q}` : q))));
  }
  item.append(el("details", {}, el("summary", {}, "Sources"), el("ul", {}, ...o.citations.map(factCitation))));
  return item;
}

function briefOption(o) {
  return el("li", { "data-option": o.id, class: "brief" }, el("span", { class: "status" }, o.name), ": ",
    o.brief || (o.reasons[0] || ""));
}

function historyLine(history) {
  if (!history) return null;
  const parts = [`${history.entries.length} earlier treatment${history.entries.length === 1 ? "" : "s"} read`,
    `${history.her2_treatments} with a HER2 drug`, `${history.advanced_treatments} for advanced cancer`,
    `${history.advanced_chemotherapies} chemotherapy for advanced cancer`, `${history.hormone_therapies} with hormone therapy`];
  if (history.setting_unknown) parts.push(`${history.setting_unknown} without when it was given`);
  return el("p", { class: "meta", id: "history-read" }, `Your history as read: ${parts.join("; ")}.`);
}

function renderOptions(report) {
  const box = document.getElementById("options");
  const parts = [el("p", { class: "notice" }, report.reminder)];
  const history = historyLine(report.history);
  if (history) parts.push(history);
  for (const [status, title] of Object.entries(STATUS)) {
    const chosen = report.options.filter((o) => o.status === status);
    if (!chosen.length) continue;
    parts.push(el("h3", {}, `${title} (${chosen.length})`), el("ul", { class: "options" }, ...chosen.map(fullOption)));
  }
  if (report.questions.length) {
    parts.push(el("h3", {}, "Questions to take to your care team"),
      el("ul", {}, ...report.questions.map((q) => el("li", {}, q))));
  }
  const others = report.options.filter((o) => o.status === "does_not_match");
  if (others.length) {
    parts.push(el("h3", {}, `${NOT_MATCHING} (${others.length})`),
      el("ul", { class: "options-brief" }, ...others.map(briefOption)));
  }
  if (report.as_of) parts.push(el("p", { class: "meta" }, `As of ${report.as_of}.`));
  box.replaceChildren(...parts);
}

document.getElementById("add-treatment").addEventListener("click", () => addTreatment().focus());
document.getElementById("history_known").addEventListener("change", (event) => {
  const rows = document.getElementById("treatments");
  if (event.target.value === "listed" && !rows.children.length) addTreatment();
  if (event.target.value !== "listed") rows.replaceChildren();
});

document.getElementById("options-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const box = document.getElementById("options");
  box.replaceChildren(el("p", { class: "meta" }, "Checking the knowledge base…"));
  try {
    renderOptions(await call("POST", "/v1/options", profileFromForm(event.target)));
  } catch (error) {
    showError(box, error);
  }
});
