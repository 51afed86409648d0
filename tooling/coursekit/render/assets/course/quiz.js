/* coursekit runtime: content-note gate, formative questions, progress. It loads the other parts only on
   the pages that use them: assessment.js (the final assessment), conversation.js and draft.js, which share
   its helpers (window.coursekit). Progress: localStorage (a key per course edition) or
   window.coursekitStore {load(name), save(name, data)}, an LMS bridge set by an earlier script. Failing
   storage only means it is not kept. Runs on each page load and instant-navigation swap. */
(function () {
  "use strict";
  var memory = {}, store = window.coursekitStore; // memory: this visit's progress, the truth if storage fails

  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function all(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function decode(node) { // data the page carries but does not show: base64 JSON in data-ck-key
    try { return JSON.parse(atob(node.getAttribute("data-ck-key"))); } catch (e) { return null; }
  }
  function longDate(iso) {
    var d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  }
  function validResult(r) { return isObject(r) && typeof r.score === "number" && typeof r.passed === "boolean"; }
  function html(box, cls, title, content) {
    var div = el("div", cls);
    if (title) div.appendChild(el("p", cls + "-title", title));
    div.insertAdjacentHTML("beforeend", content); // our own rendered Markdown, sanitised when the site was built
    box.appendChild(div);
  }
  window.coursekit = { isObject: isObject, all: all, el: el, decode: decode, longDate: longDate, validResult: validResult,
    html: html, inputs: inputs, chosen: chosen };

  function load(name) {
    var data = memory[name];
    if (!data) {
      try { data = store ? store.load(name) : JSON.parse(localStorage.getItem(name) || "null"); } catch (e) { data = null; }
    }
    if (!isObject(data)) data = {};
    ["ack", "q", "a", "v"].forEach(function (k) { if (!isObject(data[k])) data[k] = {}; }); // v: conversations
    memory[name] = data;
    return data;
  }
  function save(name) {
    try { store ? store.save(name, memory[name]) : localStorage.setItem(name, JSON.stringify(memory[name])); } catch (e) { /* kept in memory */ }
  }

  /* The answer key: {c: correct indexes, f: feedback HTML per choice, x: explanation HTML}. */
  function answerKey(fs) {
    var key = decode(fs);
    return key && Array.isArray(key.c) && isObject(key.f) ? key : null;
  }
  function inputs(fs) { return all(fs, "input"); }
  function chosen(fs) {
    return inputs(fs).filter(function (i) { return i.checked; }).map(function (i) { return Number(i.value); })
      .sort(function (x, y) { return x - y; });
  }
  function choose(fs, values) {
    inputs(fs).forEach(function (i) { i.checked = Array.isArray(values) && values.indexOf(Number(i.value)) >= 0; });
  }
  function same(a, b) { return a.length === b.length && a.every(function (v) { return b.indexOf(v) >= 0; }); }
  function label(fs, i) {
    var l = fs.querySelector('label[for="' + fs.id + "-" + i + '"]');
    return l ? l.textContent.trim() : "";
  }

  /* --- module pages: content note and formative questions --- */
  function initGate(gate, name, data) {
    var id = gate.getAttribute("data-ck-gate");
    function open(focus) {
      gate.classList.remove("ck-gate--closed");
      var next = gate.nextElementSibling;
      while (focus && next && !/^H[1-6]$/.test(next.tagName)) next = next.nextElementSibling;
      if (focus && next) { next.setAttribute("tabindex", "-1"); next.focus(); }
    }
    if (data.ack[id]) open(false);
    gate.querySelector("[data-ck-ack]").addEventListener("click", function () {
      data.ack[id] = true;
      save(name);
      open(true);
    });
  }

  function feedback(fs, key, entry) {
    var box = fs.querySelector("[role=status]");
    box.textContent = "";
    fs.classList.remove("ck-q--right", "ck-q--wrong");
    if (!entry || !entry.c || !Array.isArray(entry.s)) return;
    var ok = entry.ok === true, reveal = ok || entry.n >= 2;
    fs.classList.add(ok ? "ck-q--right" : "ck-q--wrong");
    box.appendChild(el("p", "ck-verdict", ok ? "Correct." : reveal ? "Not quite." : "Not quite. Try again."));
    entry.s.forEach(function (i) {
      if (key.f[i]) html(box, "ck-said", "You chose “" + label(fs, i) + "”:", key.f[i]);
    });
    if (!ok && fs.querySelector("input[type=checkbox]")) {
      var wrong = entry.s.some(function (i) { return key.c.indexOf(i) < 0; });
      box.appendChild(el("p", null, wrong ? "At least one of your choices is wrong."
        : "Your choices are right, but there is more to find."));
    }
    if (!ok && reveal) {
      box.appendChild(el("p", "ck-answer", "The right answer: " +
        key.c.map(function (i) { return label(fs, i); }).join("; ")));
    }
    if (reveal) html(box, "ck-why", "Explanation", key.x);
  }

  function initQuestion(fs, name, data) {
    var ref = fs.getAttribute("data-ck-q"), key = answerKey(fs), box = fs.querySelector("[role=status]");
    if (!key) return;
    var entry = isObject(data.q[ref]) ? data.q[ref] : {};
    choose(fs, entry.s);
    feedback(fs, key, entry);
    fs.addEventListener("change", function () {
      entry = data.q[ref] = { s: chosen(fs), ok: false, n: Number(entry.n) || 0, c: false };
      feedback(fs, key, null);
      save(name);
    });
    fs.querySelector(".ck-check").addEventListener("click", function () {
      var sel = chosen(fs);
      if (!sel.length) { feedback(fs, key, null); box.appendChild(el("p", null, "Choose an answer first.")); return; }
      var ok = same(sel, key.c), tries = Number(entry.n) || 0;
      entry = data.q[ref] = { s: sel, ok: ok, n: ok ? tries : tries + 1, c: true };
      save(name);
      feedback(fs, key, entry);
    });
  }

  /* --- home page: progress and the assessment result --- */
  function initProgress(span, data) {
    var id = span.getAttribute("data-ck-progress"), total = Number(span.getAttribute("data-ck-questions")) || 0;
    var right = 0, tried = 0;
    Object.keys(data.q).forEach(function (ref) {
      var e = data.q[ref];
      if (ref.indexOf(id + "/") === 0 && isObject(e) && e.c) { tried += 1; if (e.ok === true) right += 1; }
    });
    var done = total > 0 && right >= total, started = tried || data.ack[id];
    span.className = "ck-progress" + (done ? " ck-progress--done" : started ? " ck-progress--started" : "");
    span.textContent = done ? "Completed: all " + total + " questions answered correctly"
      : started ? "In progress" + (total ? ": " + right + " of " + total + " questions answered correctly" : "")
      : "Not started";
  }
  function resultText(r) {
    return (r.passed ? "Passed" : "Not passed") + ", " + r.score + "% (" + r.right + " of " + r.total + " right)";
  }

  /* --- the parts of the runtime a page may need: each its own script, loaded once, on that page only --- */
  var waiting = {};
  function withPart(root, name, run) {
    var src = root.getAttribute("data-ck-script");
    if (window[name]) return run(window[name]);
    if (!waiting[src]) {
      waiting[src] = [];
      var script = el("script");
      script.src = src;
      script.onload = function () { waiting[src].forEach(function (f) { f(window[name]); }); };
      document.head.appendChild(script);
    }
    waiting[src].push(run);
  }
  var PARTS = { "[data-ck-assessment]": "coursekitAssessment", "[data-ck-conv]": "coursekitConversation",
    "[data-ck-draft]": "coursekitDraft" };

  function init() {
    var id = document.querySelector("[data-ck-course]");
    if (!id || id.hasAttribute("data-ck-ready")) return; // already set up (instant navigation re-emits)
    id.setAttribute("data-ck-ready", "");
    var name = "coursekit:" + id.getAttribute("data-ck-course") + ":" + id.getAttribute("data-ck-version");
    var data = load(name);
    all(document, "[data-ck-gate]").forEach(function (g) { initGate(g, name, data); });
    all(document, ".ck-quiz fieldset[data-ck-q]").forEach(function (fs) { initQuestion(fs, name, data); });
    Object.keys(PARTS).forEach(function (selector) {
      all(document, selector).forEach(function (root) {
        withPart(root, PARTS[selector], function (part) { part(root, data, function () { save(name); }, name); });
      });
    });
    all(document, "[data-ck-progress]").forEach(function (span) { initProgress(span, data); });
    all(document, "[data-ck-result-summary]").forEach(function (span) {
      var r = validResult(data.a.p) ? data.a.p : data.a.r; // a pass stays the learner's result
      span.textContent = validResult(r) ? resultText(r) + (longDate(r.date) ? " on " + longDate(r.date) : "") : "Not taken yet";
    });
  }

  var swaps = window.document$;
  if (swaps && typeof swaps.subscribe === "function") swaps.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
