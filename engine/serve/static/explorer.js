// coalition explorer: updates the answer in place when a value of the evidence changes.
// Without this script every control still works: the forms submit and the server renders.
"use strict";
(function () {
  document.documentElement.classList.add("js");
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const HEAD = { "X-Explorer": "fragment" };
  let query = "";        // the current view's query string (state, coalition, year, set=…)
  let pending = null;    // the timer of an update waiting for typing to stop
  let asked = 0;         // the number of the last update sent: older answers are dropped

  function choose() {
    const form = $("#choose");
    if (!form) return;
    ["#state", "#coalition", "#year"].forEach((id) => {
      const el = $(id, form);
      if (el) el.addEventListener("change", () => { $("#q").value = ""; form.submit(); });
    });
  }

  function body() {   // the evidence form, every checkbox as an explicit true/false
    const form = $("#evidence");
    const out = new URLSearchParams();
    $$("input, select", form).forEach((el) => {
      if (!el.name || (el.type === "hidden" && el.nextElementSibling && el.nextElementSibling.type === "checkbox")) return;
      if (el.type === "checkbox") out.append(el.name, el.checked ? "true" : "false");
      else out.append(el.name, el.value);
    });
    return out;
  }

  function showErrors(errors) {
    $$(".control").forEach((div) => {
      const field = div.dataset.field;
      const line = errors[field] ? errors[field].join(" ") : "";
      div.classList.toggle("bad", !!line);
      const p = $(".error", div);
      if (p) p.textContent = line;
    });
  }

  function markChanged(changed) {
    const set = new Set(changed);
    $$(".control").forEach((div) => div.classList.toggle("changed", set.has(div.dataset.field)));
  }

  function setLinks() {   // every link of the view carries the current changes
    const map = { "#show-diff": "/diff?", "#find-flips": "/flips?", "#dl-state": "/download/state.yaml?",
      "#dl-coalition": "/download/coalition.yaml?", "#dl-memo-md": "/download/memo.md?",
      "#dl-memo-html": "/download/memo.html?" };
    Object.keys(map).forEach((id) => { const a = $(id); if (a) a.href = map[id] + query; });
  }

  async function update() {
    const number = ++asked;
    const answer = $("#answer");
    answer.classList.add("busy");
    let data;
    try {
      const response = await fetch("/answer", { method: "POST", body: body(), headers: HEAD });
      data = await response.json();
    } catch (error) {
      data = { problems: ["the explorer did not answer (" + error + "); is `coalition serve` still running?"] };
    }
    if (number !== asked) return;   // a later change is on its way
    answer.classList.remove("busy");
    showErrors(data.errors || {});
    if (data.answer) {
      answer.innerHTML = data.answer;
      $("#command").textContent = data.command;
      query = data.query;
      history.replaceState(null, "", "/?" + query);
      markChanged(data.changed || []);
      setLinks();
      ["#diff", "#flips", "#why"].forEach((id) => { const el = $(id); if (el) { el.hidden = true; el.innerHTML = ""; } });
      refreshMap();
    } else if (data.problems) {
      $("#command").textContent = data.problems.map((l) => "error: " + l).join("\n");
    }
  }

  async function refreshMap() {
    const map = $("#map");
    if (!map) return;
    const number = asked;
    const response = await fetch("/map?" + query, { headers: HEAD });
    if (response.ok && number === asked) map.innerHTML = await response.text();
  }

  async function pane(id, url, note) {
    const el = $(id);
    el.hidden = false;
    el.innerHTML = "<p class=\"hint\">" + note + "</p>";
    el.scrollIntoView({ block: "nearest" });
    const response = await fetch(url, { headers: HEAD });
    el.innerHTML = await response.text();
  }

  function evidence() {
    const form = $("#evidence");
    if (!form) return;
    query = new URL($("#show-diff").href).search.slice(1);
    history.replaceState(null, "", "/?" + query);
    form.addEventListener("submit", (e) => { e.preventDefault(); update(); });
    form.addEventListener("change", () => { clearTimeout(pending); pending = setTimeout(update, 60); });
    form.addEventListener("input", (e) => {
      if (e.target.type === "number") { clearTimeout(pending); pending = setTimeout(update, 400); }
    });
    document.addEventListener("click", (e) => {
      const a = e.target.closest("a, button");
      if (!a) return;
      if (a.dataset.why) { e.preventDefault(); pane("#why", "/why?" + query + "&concept=" + encodeURIComponent(a.dataset.why), "Asking why…"); }
      else if (a.id === "show-diff") { e.preventDefault(); pane("#diff", "/diff?" + query, "Comparing the traces…"); }
      else if (a.id === "find-flips") { e.preventDefault(); pane("#flips", "/flips?" + query, "Searching for flips: every one-step change, then pairs (a few seconds)…"); }
      else if (a.dataset.close) { const el = $("#" + a.dataset.close); el.hidden = true; el.innerHTML = ""; }
    });
    const map = $("#map");
    map.addEventListener("click", (e) => {
      const g = e.target.closest("g[data-state]");
      if (!g) return;
      const params = new URLSearchParams({ state: g.dataset.state, coalition: map.dataset.coalition });
      if (map.dataset.year) params.set("year", map.dataset.year);
      location.href = "/?" + params;
    });
  }

  document.addEventListener("DOMContentLoaded", () => { choose(); evidence(); });
})();
