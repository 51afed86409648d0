/* coursekit runtime: content-note gate, formative questions, final assessment, progress.
   Progress: localStorage (a key per course edition) or window.coursekitStore {load(name), save(name, data)},
   an LMS bridge set by an earlier script. Failing storage only means it is not kept. Runs on each page load
   and instant-navigation swap. */
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

  function load(name) {
    var data = memory[name];
    if (!data) {
      try { data = store ? store.load(name) : JSON.parse(localStorage.getItem(name) || "null"); } catch (e) { data = null; }
    }
    if (!isObject(data)) data = {};
    ["ack", "q", "a"].forEach(function (k) { if (!isObject(data[k])) data[k] = {}; });
    if (!isObject(data.a.s)) data.a.s = {};
    memory[name] = data;
    return data;
  }
  function save(name) {
    try { store ? store.save(name, memory[name]) : localStorage.setItem(name, JSON.stringify(memory[name])); } catch (e) { /* kept in memory */ }
  }

  /* The answer key: base64 JSON {c: correct indexes, f: feedback HTML per choice, x: explanation HTML}. */
  function answerKey(fs) {
    try {
      var key = JSON.parse(atob(fs.getAttribute("data-ck-key")));
      if (Array.isArray(key.c) && isObject(key.f)) return key;
    } catch (e) { /* fall through */ }
    return null;
  }
  function inputs(fs) { return all(fs, "input"); }
  function chosen(fs) {
    return inputs(fs).filter(function (i) { return i.checked; }).map(function (i) { return Number(i.value); });
  }
  function choose(fs, values) {
    inputs(fs).forEach(function (i) { i.checked = Array.isArray(values) && values.indexOf(Number(i.value)) >= 0; });
  }
  function same(a, b) { return a.length === b.length && a.every(function (v) { return b.indexOf(v) >= 0; }); }
  function label(fs, i) {
    var l = fs.querySelector('label[for="' + fs.id + "-" + i + '"]');
    return l ? l.textContent.trim() : "";
  }
  function html(box, cls, title, content) {
    var div = el("div", cls);
    if (title) div.appendChild(el("p", cls + "-title", title));
    div.insertAdjacentHTML("beforeend", content); // our own rendered Markdown, already escaped
    box.appendChild(div);
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
  function longDate(iso) {
    var d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  }
  function resultText(r) {
    return (r.passed ? "Passed" : "Not passed") + ", " + r.score + "% (" + r.right + " of " + r.total + " right)";
  }
  function validResult(r) { return isObject(r) && typeof r.score === "number" && typeof r.passed === "boolean"; }

  /* --- the final assessment: scored only on submit --- */
  function initAssessment(root, name, data) {
    var a = data.a, pass = Number(root.getAttribute("data-ck-pass")) || 100, warned = false;
    function part(sel) { return root.querySelector(sel); }
    var qs = all(root, "fieldset[data-ck-q]"), warning = part("[data-ck-warning]");
    var result = part("[data-ck-result]"), submit = part("[data-ck-submit]"), who = part("[data-ck-name]");

    function show(focus) {
      var r = a.r, on = validResult(r);
      result.hidden = !on;
      submit.hidden = on;
      qs.forEach(function (fs) {
        var box = fs.querySelector("[role=status]"), ok = on && isObject(r.ok) && r.ok[fs.getAttribute("data-ck-q")];
        inputs(fs).forEach(function (i) { i.disabled = on; });
        fs.classList.remove("ck-q--right", "ck-q--wrong");
        box.textContent = "";
        if (!on) return;
        fs.classList.add(ok ? "ck-q--right" : "ck-q--wrong");
        box.appendChild(el("p", "ck-verdict", ok ? "Correct." : "Not correct."));
      });
      if (!on) return;
      part("[data-ck-verdict]").textContent = r.passed ? "Passed" : "Not passed";
      part("[data-ck-score]").textContent = r.score + "%, " + r.right + " of " + r.total + " questions right";
      result.classList.toggle("ck-result--passed", r.passed);
      var missed = Array.isArray(r.missed) ? r.missed : [], list = part("[data-ck-missed-list]");
      list.textContent = "";
      var groups = {};
      missed.forEach(function (m) { // [module title, objective], grouped under each module
        if (!Array.isArray(m)) return;
        if (!groups[m[0]]) {
          var li = el("li", null, String(m[0]));
          groups[m[0]] = li.appendChild(el("ul"));
          list.appendChild(li);
        }
        groups[m[0]].appendChild(el("li", null, String(m[1])));
      });
      part("[data-ck-missed]").hidden = !missed.length;
      part("[data-ck-record-date]").textContent = longDate(r.date);
      part("[data-ck-record-result]").textContent = resultText(r);
      showName();
      if (focus) result.focus();
    }
    function showName() {
      part("[data-ck-record-name]").textContent = who.value.trim() || "(no name typed: type it above the questions)";
    }
    function score() {
      var right = 0, ok = {}, missed = [];
      qs.forEach(function (fs) {
        var key = answerKey(fs), ref = fs.getAttribute("data-ck-q");
        ok[ref] = !!key && same(chosen(fs), key.c);
        if (ok[ref]) { right += 1; return; }
        var pair = [fs.getAttribute("data-ck-module-title"), fs.getAttribute("data-ck-objective")];
        if (!missed.some(function (m) { return m[0] === pair[0] && m[1] === pair[1]; })) missed.push(pair);
      });
      var total = qs.length || 1;
      return { right: right, total: qs.length, ok: ok, missed: missed, date: new Date().toISOString(),
        score: Math.floor((100 * right) / total), passed: right * 100 >= pass * total };
    }

    who.value = typeof a.name === "string" ? a.name : "";
    who.addEventListener("input", function () { a.name = who.value; save(name); showName(); });
    qs.forEach(function (fs) {
      var ref = fs.getAttribute("data-ck-q");
      choose(fs, a.s[ref]);
      fs.addEventListener("change", function () { a.s[ref] = chosen(fs); warned = false; save(name); });
    });
    submit.addEventListener("click", function () {
      var missing = [];
      qs.forEach(function (fs, i) { if (!chosen(fs).length) missing.push(i + 1); });
      if (missing.length && !warned) {
        warned = true;
        warning.textContent = "You have not answered " + (missing.length === 1 ? "question " : "questions ") +
          missing.join(", ") + ". Answer " + (missing.length === 1 ? "it" : "them") +
          ", or choose Submit assessment again to submit now: an unanswered question counts as wrong.";
        return;
      }
      warning.textContent = "";
      a.r = score();
      save(name);
      show(true);
    });
    part("[data-ck-print]").addEventListener("click", function () { window.print(); });
    part("[data-ck-retake]").addEventListener("click", function () {
      a.r = null; a.s = {}; warned = false;
      qs.forEach(function (fs) { choose(fs, []); });
      save(name);
      show(false);
      if (qs[0]) inputs(qs[0])[0].focus();
    });
    show(false);
  }

  function init() {
    var id = document.querySelector("[data-ck-course]");
    if (!id || id.hasAttribute("data-ck-ready")) return; // already set up (instant navigation re-emits)
    id.setAttribute("data-ck-ready", "");
    var name = "coursekit:" + id.getAttribute("data-ck-course") + ":" + id.getAttribute("data-ck-version");
    var data = load(name);
    all(document, "[data-ck-gate]").forEach(function (g) { initGate(g, name, data); });
    all(document, ".ck-quiz fieldset[data-ck-q]").forEach(function (fs) { initQuestion(fs, name, data); });
    all(document, "[data-ck-assessment]").forEach(function (root) { initAssessment(root, name, data); });
    all(document, "[data-ck-progress]").forEach(function (span) { initProgress(span, data); });
    all(document, "[data-ck-result-summary]").forEach(function (span) {
      var r = data.a.r;
      span.textContent = validResult(r) ? resultText(r) + (longDate(r.date) ? " on " + longDate(r.date) : "") : "Not taken yet";
    });
  }

  var swaps = window.document$;
  if (swaps && typeof swaps.subscribe === "function") swaps.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
