// oncocite's page: ask a question (options.js explores options). Every piece of text from the
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

// --- The ask part ---------------------------------------------------------------

// A passage keeps a list as lines that start with a bullet ("- ", "• ", "* ") or a
// number ("1. ", "2) "): ingest normalises scraped bullets to "- ". Such lines are
// shown as a list, every other line as running text.
const BULLET = /^\s*(?:[-*•‣◦▪–]|\d{1,2}[.)])\s+(.*)$/;

function blocksOf(text) {
  const blocks = [];
  for (const line of String(text).split("\n")) {
    const item = line.match(BULLET);
    const last = blocks[blocks.length - 1];
    if (item) {
      if (last && last.items) last.items.push(item[1]);
      else blocks.push({ items: [item[1]] });
    } else if (line.trim()) {
      if (last && last.text !== undefined) last.text += ` ${line.trim()}`;
      else blocks.push({ text: line.trim() });
    }
  }
  return blocks;
}

// Only web addresses are links: a `javascript:` or `data:` url from a document
// (refused at ingest, refused here again) is never made clickable.
function webUrl(url) {
  try {
    const parsed = new URL(url);
    return ["http:", "https:"].includes(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

function sourceLink(title, url) {
  const href = url ? webUrl(url) : null;
  return href ? el("a", { href, rel: "noopener noreferrer" }, title) : el("strong", {}, title);
}

// A quote as the page shows it: its running text in paragraphs, its lists as lists.
function quoteBlock(text) {
  const quote = el("blockquote", { class: "quote" });
  for (const block of blocksOf(text)) {
    quote.append(block.items ? el("ul", {}, ...block.items.map((i) => el("li", {}, i))) : el("p", {}, block.text));
  }
  return quote;
}

function citationItem(c) {
  const section = (c.section || []).filter((h, i) => !(i === 0 && h === c.title)).join(" › ");
  const reviewed = c.last_reviewed ? `Last reviewed ${c.last_reviewed}` : "Review date not recorded";
  const licence = c.license_name || c.license || "not recorded";
  const href = c.url ? webUrl(c.url) : null;
  return el("li", { id: `cite-${c.n}` },
    sourceLink(c.title, c.url),
    el("span", { class: "meta" }, ` · ${c.source || "source not recorded"}${section ? " · " + section : ""}`),
    quoteBlock(c.quote),
    el("p", { class: "meta" }, `${reviewed}`,
      c.review_overdue ? el("span", { class: "overdue" }, " (overdue for review)") : null,
      ` · Licence: ${licence}`,
      el("span", { class: "print-only" }, ` · Version ${c.version}${href ? " · " + href : ""}`),
      href ? null : el("span", {}, ` · No web link recorded${c.source ? `: search ${c.source}'s website for the title` : ""}`)));
}

// The answer's sentences as running text with their citation numbers; a sentence
// that quotes a list ends its paragraph with the list, the number after its last item.
function answerText(sentences) {
  const box = el("div", { class: "answer-text" });
  let paragraph = null;
  for (const s of sentences) {
    const cite = el("a", { href: `#cite-${s.citation}`, "aria-label": `source ${s.citation}` }, `[${s.citation}]`);
    let list = null;
    for (const block of blocksOf(s.text)) {
      if (block.items) {
        list = el("ul", {}, ...block.items.map((i) => el("li", {}, i)));
        box.append(list);
        paragraph = null;
      } else {
        if (!paragraph) box.append((paragraph = el("p", {})));
        paragraph.append(`${block.text} `);
        list = null;
      }
    }
    if (list) list.lastElementChild.append(" ", cite);
    else {
      if (!paragraph) box.append((paragraph = el("p", {})));
      paragraph.append(cite, " ");
    }
  }
  return box;
}

// Each document read but not quoted, once: the passages of one page are one source.
function consultedList(answer) {
  const cited = new Set(answer.citations.map((c) => c.doc_id));
  const seen = new Set();
  const items = [];
  for (const p of answer.consulted || []) {
    if (cited.has(p.doc_id) || seen.has(p.doc_id)) continue;
    seen.add(p.doc_id);
    items.push(el("li", {}, sourceLink(p.title, p.url), el("span", { class: "meta" }, ` · ${p.source || "source not recorded"}`)));
  }
  return items;
}

const CHOICE_KINDS = new Set(["options", "eligibility", "comparison"]);
const CHOICE_WORDS = /\b(best|which|should i|right for me|suitable|option|choose|choice)\b/i;

// What the person can do when there is no answer: the care team (or urgent care
// after triage), the options explorer for a question about choosing a treatment,
// and how to ask again. Urgent messages are never told to rephrase.
function nextSteps(answer) {
  const steps = [];
  const abstention = answer.abstention || {};
  const category = answer.safety ? answer.safety.category : null;
  const triage = abstention.reason === "triage" || category === "urgent" || category === "self_harm";
  if (abstention.next_step) steps.push(el("li", {}, abstention.next_step));
  if (triage) {
    if (category === "self_harm") {
      steps.push(el("li", {}, "Talk to someone now, at any time: Samaritans on 116 123 (UK and Ireland), or call or text 988 (US)."));
    }
    steps.push(el("li", {}, "If you feel very unwell or it is an emergency, call 999 (UK) or 911 (US), or go to the nearest emergency department (A&E)."));
    if (!abstention.next_step) steps.push(el("li", {}, "Contact your cancer care team's 24-hour line."));
    return steps;
  }
  if (abstention.reason === "out_of_scope") {
    if (!abstention.next_step) steps.push(el("li", {}, "This service answers questions about breast cancer and its treatment."));
    return steps;
  }
  if (!abstention.next_step) steps.push(el("li", {}, "Your cancer care team or specialist nurse can answer questions the library cannot."));
  const needs = answer.needs || [];
  if (needs.some((n) => CHOICE_KINDS.has(n.kind)) || CHOICE_WORDS.test(answer.question || "")) {
    steps.push(el("li", { class: "to-options" }, "To see which treatments the sources describe for a cancer like yours, use ",
      el("a", { href: "#options-heading" }, "the treatment options form"), " below, then take its questions to your care team."));
  }
  // the service's own next step may already say to ask again: then only the examples
  const examples = "“What is Kadcyla?” or “How does pembrolizumab work?”";
  const advised = /ask again/i.test(abstention.next_step || "");
  steps.push(el("li", { class: "rephrase" }, advised ? `For example: ${examples}`
    : `To ask again in other words: one question at a time, naming the drug or treatment, as in ${examples}`));
  return steps;
}

function today() {
  return new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
}

// Renders the answer, moves focus to its heading and says in the live region what
// came back, so a screen reader user hears it without hunting for it.
function renderAnswer(answer) {
  const box = document.getElementById("answer");
  const category = answer.safety ? answer.safety.category : null;
  const urgent = category === "urgent" || category === "self_harm";
  const triage = urgent || (answer.abstention && answer.abstention.reason === "triage");
  const title = triage ? "Please read this now" : answer.abstained ? "No answer from the library" : "What the sources say";
  const heading = el("h3", { id: "answer-heading", tabindex: "-1" }, title);
  const parts = [heading, el("p", { class: "asked meta" }, `Your question: “${answer.question}”`)];
  if (answer.safety) {
    parts.push(el("div", { class: urgent ? "alert" : "notice", role: urgent ? "alert" : null }, answer.safety.message));
  }
  let status;
  if (answer.abstained) {
    if (!triage && answer.abstention && !answer.safety) { // a safety message already says why
      parts.push(el("p", { class: "abstained" }, `Why: ${answer.abstention.detail}.`));
    }
    parts.push(el("div", { class: "next-steps" }, el("h4", {}, "What you can do next"), el("ul", {}, ...nextSteps(answer))));
    status = triage
      ? "Important: this needs a person, not a library. Please read the message now."
      : "No answer from the library. What you can do next is listed below the question.";
  } else {
    if (answer.worded && answer.worded.length) {
      const worded = el("p", {});
      for (const s of answer.worded) {
        worded.append(`${s.text} `);
        for (const n of s.citations) worded.append(el("a", { href: `#cite-${n}` }, `[${n}]`), " ");
      }
      parts.push(worded, el("p", { class: "meta" }, `Reworded by ${answer.worded_by}; the sources say:`));
    }
    parts.push(answerText(answer.sentences), el("h4", {}, "Sources"),
      el("ol", { class: "citations" }, ...answer.citations.map(citationItem)));
    const consulted = consultedList(answer);
    if (consulted.length) parts.push(el("h4", {}, "Also read, not quoted"), el("ul", { class: "consulted" }, ...consulted));
    for (const note of answer.notes || []) parts.push(el("p", { class: "meta" }, `Note: ${note}`));
    const sources = new Set(answer.citations.map((c) => c.doc_id)).size;
    status = `Your answer is ready: quoted from ${sources} ${sources === 1 ? "source" : "sources"}.`;
  }
  const quoted = answer.abstained ? "" : " Quoted from the sources named;";
  parts.push(el("p", { class: "answer-date meta" }, `From oncocite on ${today()}.${quoted} This does not replace your care team.`),
    el("button", { type: "button", class: "print-answer" }, "Print this answer"));
  box.replaceChildren(...parts);
  box.querySelector(".print-answer").addEventListener("click", () => window.print());
  heading.focus();
  announce(status);
}

// The live region is emptied first, so the same words asked twice are read twice.
function announce(message) {
  const status = document.getElementById("ask-status");
  status.textContent = "";
  setTimeout(() => { status.textContent = message; }, 50);
}

// The options explorer (form and results) lives in options.js.

document.getElementById("ask-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const box = document.getElementById("answer");
  const question = document.getElementById("question").value.trim();
  if (!question) return;
  box.replaceChildren(el("p", { class: "meta" }, "Looking in the library…"));
  announce("Looking in the library…");
  try {
    renderAnswer(await call("POST", "/v1/ask", { question }));
  } catch (error) {
    showError(box, error);
    announce("");
  }
});
