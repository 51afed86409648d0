/* coursekit runtime: content-note gate, formative questions, progress, and the theme's keyboard shortcuts
   turned off. It loads the other parts only on the pages that use them: assessment.js (the final
   assessment), conversation.js and draft.js, which share its helpers (window.coursekit). Progress:
   localStorage (a key per course edition) or window.coursekitStore {load(name), save(name, data)}, an LMS
   bridge set by an earlier script. Failing storage only means it is not kept. Runs on each page load and
   instant-navigation swap. */
(() => {
  "use strict";
  var memory = {}, store = window.coursekitStore; // memory: this visit's progress, the truth if storage fails

  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function arr(v) { return Array.isArray(v) ? v : []; }
  function all(root, selector) { return [...root.querySelectorAll(selector)]; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function at(node, name) { return node.getAttribute("data-ck-" + name); }
  function on(node, run) { node.addEventListener("click", run); }
  function decode(node) { // data the page carries but does not show: base64 JSON in data-ck-key
    try { return JSON.parse(atob(at(node, "key"))); } catch (e) { return null; }
  }
  function longDate(iso) {
    var d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  }
  function validResult(r) { return isObject(r) && typeof r.score === "number" && typeof r.passed === "boolean"; }
  function html(box, cls, title, content) {
    var div = el("div", cls);
    if (title) div.append(el("p", cls + "-title", title));
    div.insertAdjacentHTML("beforeend", content); // our own rendered Markdown, sanitised when the site was built
    box.append(div);
  }
  window.coursekit = { isObject, arr, all, el, at, on, decode, longDate, validResult, html, inputs, chosen };

  /* WCAG 2.1.4: the theme's one-letter shortcuts (n, p, s, f, /, ...: next and previous page, search) fire
     on a bare key press, on a radio button as anywhere else. It listens on window; a key that could type a
     character stops at the document unless it is typed into a field, or the open search box takes it. */
  document.addEventListener("keydown", e => {
    if (/^\S$/.test(e.key) && !(e.ctrlKey || e.metaKey || e.altKey) && !document.querySelector("#__search:checked") &&
        !e.target.matches("input:not([type=radio],[type=checkbox]),textarea,select,[contenteditable]")) e.stopPropagation();
  });

  function load(name) {
    var data = memory[name];
    if (!data) {
      try { data = store ? store.load(name) : JSON.parse(localStorage.getItem(name) || "null"); } catch (e) { data = null; }
    }
    if (!isObject(data)) data = {};
    ["ack", "q", "a", "v"].forEach(k => { if (!isObject(data[k])) data[k] = {}; }); // v: conversations
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
    return inputs(fs).filter(i => i.checked).map(i => Number(i.value))
      .sort((x, y) => x - y);
  }
  function choose(fs, values) {
    inputs(fs).forEach(i => i.checked = arr(values).includes(Number(i.value)));
  }
  function same(a, b) { return a.length === b.length && a.every(v => b.includes(v)); }
  function label(fs, i) {
    var l = fs.querySelector('label[for="' + fs.id + "-" + i + '"]');
    return l ? l.textContent.trim() : "";
  }

  /* --- module pages: content note and formative questions --- */
  function initGate(gate, name, data) {
    var id = at(gate, "gate"), wanted = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!(wanted && gate.compareDocumentPosition(wanted) & 4)) wanted = null; // a link to a part the note hides
    function open(focus) {
      gate.classList.remove("ck-gate--closed");
      var next = wanted || gate.nextElementSibling;
      while (focus && next && !wanted && !/^H[1-6]$/.test(next.tagName)) next = next.nextElementSibling;
      if (focus && next) { next.setAttribute("tabindex", "-1"); next.focus(); }
    }
    var ack = gate.querySelector("[data-ck-ack]");
    if (data.ack[id]) open(false);
    else if (wanted) setTimeout(() => ack.focus()); // the link lands on the note (after the theme has handled the
    // address), and the note then opens onto what it asked for
    on(ack, () => {
      data.ack[id] = true;
      save(name);
      open(true);
    });
  }

  /* The feedback panel (one of the theme's admonitions) and each choice's mark: right, wrong, or the right
     answer once it is revealed. A wrong choice of several is not pointed out until then. */
  function feedback(fs, key, entry) {
    var box = fs.querySelector("[role=status]"), ok = !!entry && entry.ok === true, reveal = ok || entry && entry.n >= 2;
    box.textContent = "";
    box.className = "ck-feedback";
    fs.classList.remove("ck-q--right", "ck-q--wrong");
    inputs(fs).forEach(i => {
      var right = key.c.includes(Number(i.value)), shown = ok || reveal || i.type === "radio";
      var mark = !entry || !entry.c ? "" : i.checked ? (shown ? (right ? "right" : "wrong") : "") : reveal && right ? "answer" : "";
      i.parentNode.setAttribute("data-ck-mark", mark);
    });
    if (!entry || !entry.c || !Array.isArray(entry.s)) return;
    fs.classList.add(ok ? "ck-q--right" : "ck-q--wrong");
    box.className = "ck-feedback admonition " + (ok ? "success" : "failure");
    box.append(el("p", "ck-verdict admonition-title", ok ? "Correct." : reveal ? "Not quite." : "Not quite. Try again."));
    entry.s.forEach(i => {
      if (key.f[i]) html(box, "ck-said", "You chose “" + label(fs, i) + "”:", key.f[i]);
    });
    if (!ok && fs.querySelector("input[type=checkbox]")) {
      var wrong = entry.s.some(i => !key.c.includes(i));
      box.append(el("p", null, wrong ? "At least one of your choices is wrong."
        : "Your choices are right, but there is more to find."));
    }
    if (!ok && reveal) {
      box.append(el("p", "ck-answer", "The right answer: " +
        key.c.map(i => label(fs, i)).join("; ")));
    }
    if (reveal) html(box, "ck-why", "Explanation", key.x);
  }

  function initQuestion(fs, name, data) {
    var ref = at(fs, "q"), key = answerKey(fs), box = fs.querySelector("[role=status]"), check = fs.querySelector(".ck-check");
    if (!key) return;
    var entry = isObject(data.q[ref]) ? data.q[ref] : {};
    choose(fs, entry.s);
    feedback(fs, key, entry);
    check.hidden = false;
    fs.addEventListener("change", () => {
      entry = data.q[ref] = { s: chosen(fs), ok: false, n: Number(entry.n) || 0, c: false };
      feedback(fs, key, null);
      save(name);
    });
    on(check, () => {
      var sel = chosen(fs);
      if (!sel.length) { feedback(fs, key, null); box.append(el("p", null, "Choose an answer first.")); return; }
      var ok = same(sel, key.c), tries = Number(entry.n) || 0;
      entry = data.q[ref] = { s: sel, ok, n: ok ? tries : tries + 1, c: true };
      save(name);
      feedback(fs, key, entry);
      progress(data);
    });
  }

  /* --- progress: on the home page (a card and a tile per module) and on the module page --- */
  function progress(data) {
    all(document, "[data-ck-progress]").forEach(span => {
      var id = at(span, "progress"), total = Number(at(span, "questions")) || 0, right = 0, tried = 0;
      var bar = span.parentNode.querySelector("progress");
      Object.keys(data.q).forEach(ref => {
        var e = data.q[ref];
        if (ref.startsWith(id + "/") && isObject(e) && e.c) { tried++; if (e.ok === true) right++; }
      });
      var done = total > 0 && right >= total, started = tried || data.ack[id];
      span.className = "ck-progress" + (done ? " ck-progress--done" : started ? " ck-progress--started" : "");
      span.textContent = done ? "Completed: all " + total + " questions answered correctly"
        : started ? "In progress" + (total ? ": " + right + " of " + total + " questions answered correctly" : "")
        : "Not started";
      if (bar) bar.value = right;
    });
    all(document, "[data-ck-tally]").forEach(tally => {
      function count(state) { return all(document, ".ck-tiles [data-ck-progress]" + state).length; }
      tally.textContent = count(".ck-progress--done") + " of " + count("") + " modules completed, " +
        count(".ck-progress--started") + " in progress.";
    });
  }
  function resultText(r) {
    return (r.passed ? "Passed" : "Not passed") + ", " + r.score + "% (" + r.right + " of " + r.total + " right)";
  }

  /* --- the parts of the runtime a page may need: each its own script, loaded once, on that page only --- */
  var waiting = {};
  function withPart(root, name, run) {
    var src = at(root, "script");
    if (window[name]) return run(window[name]);
    if (!waiting[src]) {
      waiting[src] = [];
      var script = el("script");
      script.src = src;
      script.onload = () => { waiting[src].forEach(f => f(window[name])); };
      document.head.append(script);
    }
    waiting[src].push(run);
  }
  var PARTS = { "[data-ck-assessment]": "coursekitAssessment", "[data-ck-conv]": "coursekitConversation",
    "[data-ck-draft]": "coursekitDraft" };

  function init() {
    var id = document.querySelector("[data-ck-course]");
    if (!id || id.hasAttribute("data-ck-ready")) return; // already set up (instant navigation re-emits)
    id.setAttribute("data-ck-ready", "");
    var name = "coursekit:" + at(id, "course") + ":" + at(id, "version");
    var data = load(name);
    // Another tab or window saved progress (an answer, a marked assessment): this page starts again from it,
    // never saving its older copy over it (which let a marked attempt be answered again in a second tab).
    window.onstorage = e => e.key === name && location.reload();
    all(document, "[data-ck-gate]").forEach(g => initGate(g, name, data));
    all(document, ".ck-quiz fieldset[data-ck-q]").forEach(fs => initQuestion(fs, name, data));
    Object.keys(PARTS).forEach(selector => {
      all(document, selector).forEach(root => {
        withPart(root, PARTS[selector], part => { part(root, data, () => save(name), name); });
      });
    });
    progress(data);
    all(document, "[data-ck-result-summary]").forEach(span => {
      var r = validResult(data.a.p) ? data.a.p : data.a.r; // a pass stays the learner's result
      span.textContent = validResult(r) ? resultText(r) + (longDate(r.date) ? " on " + longDate(r.date) : "") : "Not taken yet";
    });
  }

  var swaps = window.document$;
  if (swaps && typeof swaps.subscribe === "function") swaps.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
