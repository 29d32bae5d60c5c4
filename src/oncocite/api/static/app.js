// oncocite's page: ask a question, explore options. Every piece of text from the
// server is written with textContent, never as HTML: documents and questions are
// untrusted.
"use strict";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(data.detail || `the server answered ${response.status}`);
  }
  return data;
}

function showError(target, error) {
  target.replaceChildren(el("p", { class: "error", role: "alert" }, `Sorry: ${error.message}`));
}

function citationItem(c) {
  const reviewed = c.last_reviewed ? `last reviewed ${c.last_reviewed}` : "review date not known";
  const meta = el("span", { class: "meta" },
    `${c.source || "unknown source"} · ${reviewed}`,
    c.review_overdue ? el("span", { class: "overdue" }, " (overdue for review)") : null,
    ` · licence ${c.license || "unknown"}`);
  const section = c.section && c.section.length ? c.section.join(" › ") : c.title;
  const link = c.url ? el("a", { href: c.url, rel: "noopener" }, c.title) : el("strong", {}, c.title);
  return el("li", { id: `cite-${c.n}` }, link, " ", meta,
    el("span", { class: "meta" }, ` · ${section} (version ${c.version})`),
    el("q", { class: "quote" }, c.quote));
}

function renderAnswer(answer) {
  const box = document.getElementById("answer");
  const parts = [];
  if (answer.safety) {
    const urgent = ["urgent", "self_harm"].includes(answer.safety.category);
    parts.push(el("div", { class: urgent ? "alert" : "notice", role: "alert" }, answer.safety.message));
  }
  if (answer.abstained) {
    if (!answer.safety || (answer.abstention && answer.abstention.reason !== "triage")) {
      const detail = answer.abstention ? answer.abstention.detail : "no answer";
      parts.push(el("p", { class: "abstained" }, `No answer from the library: ${detail}.`));
    }
    if (answer.abstention && answer.abstention.next_step && answer.abstention.reason !== "triage") {
      parts.push(el("p", { class: "next-step" }, answer.abstention.next_step));
    }
    box.replaceChildren(...parts);
    return;
  }
  if (answer.worded && answer.worded.length) {
    const worded = el("p", {});
    for (const s of answer.worded) {
      worded.append(`${s.text} `);
      for (const n of s.citations) worded.append(el("a", { href: `#cite-${n}` }, `[${n}]`), " ");
    }
    parts.push(worded, el("p", { class: "meta" }, `Reworded by ${answer.worded_by}; the sources say:`));
  }
  const text = el("p", { class: "answer-text" });
  for (const s of answer.sentences) {
    text.append(`${s.text} `, el("a", { href: `#cite-${s.citation}`, "aria-label": `source ${s.citation}` }, `[${s.citation}]`), " ");
  }
  parts.push(text, el("h3", {}, "Sources"), el("ol", { class: "citations" }, ...answer.citations.map(citationItem)));
  if (answer.consulted && answer.consulted.length) {
    parts.push(el("h3", {}, "Also read, not quoted"),
      el("ul", {}, ...answer.consulted.map((p) => el("li", {}, p.url ? el("a", { href: p.url, rel: "noopener" }, p.title) : p.title,
        el("span", { class: "meta" }, ` · ${p.source || "unknown source"}`)))));
  }
  for (const note of answer.notes || []) parts.push(el("p", { class: "meta" }, `Note: ${note}`));
  box.replaceChildren(...parts);
}

// The options explorer (form and results) lives in options.js.

document.getElementById("ask-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const box = document.getElementById("answer");
  const question = document.getElementById("question").value.trim();
  if (!question) return;
  box.replaceChildren(el("p", { class: "meta" }, "Looking in the library…"));
  try {
    renderAnswer(await call("POST", "/v1/ask", { question }));
  } catch (error) {
    showError(box, error);
  }
});
