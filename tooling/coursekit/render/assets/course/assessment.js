/* coursekit final assessment (loaded by quiz.js on its page only; uses its helpers, window.coursekit). An
   attempt draws its questions and choice order (kept in progress), shows no feedback, is marked once
   against salted hashes of the right answers, then stays closed. Progress a: {name, n: attempts, t: {seed, q: refs, o: {ref: order},
   s: {ref: chosen}}, r: t's result, p: the first pass, kept}. */
(function () {
  "use strict";
  var ck = window.coursekit, isObject = ck.isObject, all = ck.all, validResult = ck.validResult, longDate = ck.longDate;
  var inputs = ck.inputs, chosen = ck.chosen; // chosen: the values of the checked inputs, in numeric order
  function el(tag, text) { return ck.el(tag, null, text); }

  /* cyrb53 (bryc, public domain), as the site builder hashed each question's right answers */
  function cyrb53(text) {
    var h1 = 0xdeadbeef, h2 = 0x41c6ce57;
    for (var i = 0, ch; i < text.length; i += 1) {
      ch = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
  }
  /* mulberry32: seeded, so an attempt's draw follows from its recorded seed */
  function generator(seed) {
    return function () {
      seed = (seed + 0x6d2b79f5) | 0;
      var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function shuffle(list, rand) {
    for (var i = list.length - 1; i > 0; i -= 1) {
      var j = Math.floor(rand() * (i + 1)), x = list[i];
      list[i] = list[j];
      list[j] = x;
    }
    return list;
  }

  window.coursekitAssessment = function (root, data, save) {
    var a = data.a, warned = false;
    function part(selector) { return root.querySelector(selector); }
    function attr(name) { return root.getAttribute("data-ck-" + name); }
    var pass = Number(attr("pass")) || 100, salt = attr("salt") || "", draw = Number(attr("draw")) || 0;
    var max = Number(attr("max")) || 0, shuffled = attr("shuffle") === "1";
    var box = part("[data-ck-questions]"), live = part("[data-ck-live]"), who = part("[data-ck-name]");
    var submit = part("[data-ck-submit]"), result = part("[data-ck-result]"), dialog = part("[data-ck-dialog]");
    var retake = part("[data-ck-retake]"), warning = part("[data-ck-warning]");
    var pool = all(box, "fieldset[data-ck-q]"), byRef = {};
    pool.forEach(function (fs) { byRef[fs.getAttribute("data-ck-q")] = fs; });


    /* An attempt: `draw` questions per objective (those the last one did not ask first), or every
       question; choices in a new order unless true/false. */
    function newAttempt(before) {
      var seed = Math.floor(Math.random() * 4294967296), rand = generator(seed), refs = [], order = {};
      var seen = before && Array.isArray(before.q) ? before.q : [], groups = {}, keys = [];
      pool.forEach(function (fs) {
        var key = draw ? fs.getAttribute("data-ck-oid") : "all";
        if (!groups[key]) { groups[key] = []; keys.push(key); }
        groups[key].push(fs.getAttribute("data-ck-q"));
      });
      keys.forEach(function (key) {
        var list = groups[key].slice(); // every question keeps the page's order; a draw is random
        if (draw) list = shuffle(list, rand).filter(function (r) { return seen.indexOf(r) < 0; })
          .concat(list.filter(function (r) { return seen.indexOf(r) >= 0; })).slice(0, draw);
        refs = refs.concat(list);
      });
      refs.forEach(function (ref) {
        var fs = byRef[ref], list = inputs(fs).map(function (i, k) { return k; });
        order[ref] = shuffled && fs.getAttribute("data-ck-type") !== "true_false" ? shuffle(list, rand) : list;
      });
      return { seed: seed, q: refs, o: order, s: {} };
    }
    function validAttempt(t) {
      return isObject(t) && Array.isArray(t.q) && t.q.length > 0 && t.q.every(function (r) { return byRef[r]; });
    }

    function render(announce) {
      var t = a.t, r = validResult(a.r) ? a.r : null;
      pool.forEach(function (fs) { fs.hidden = true; });
      t.q.forEach(function (ref, i) {
        var fs = byRef[ref], choices = fs.querySelector(".ck-choices"), s = Array.isArray(t.s[ref]) ? t.s[ref] : [];
        box.appendChild(fs);
        fs.hidden = false;
        fs.querySelector(".ck-q__number").textContent = "Question " + (i + 1) + " of " + t.q.length;
        (Array.isArray(t.o[ref]) ? t.o[ref] : []).forEach(function (k) {
          var input = fs.querySelector('input[value="' + Number(k) + '"]');
          if (input) choices.appendChild(input.parentNode);
        });
        inputs(fs).forEach(function (input) {
          input.checked = s.indexOf(Number(input.value)) >= 0;
          input.disabled = !!r;
        });
      });
      part("[data-ck-attempt]").textContent = "Attempt " + a.n + (max ? " of " + max : "") + (r ? ": marked" : "");
      submit.hidden = !!r;
      result.hidden = !r;
      if (r) showResult(r, announce);
    }

    /* The objectives of this attempt, [module title, objective], missed (a question on it wrong) or met. */
    function objectives(r) {
      var missed = [], met = [], names = {};
      a.t.q.forEach(function (ref) {
        var fs = byRef[ref], id = fs.getAttribute("data-ck-oid") || fs.getAttribute("data-ck-objective");
        names[id] = [fs.getAttribute("data-ck-module-title"), fs.getAttribute("data-ck-objective")];
        if (!(isObject(r.ok) && r.ok[ref]) && missed.indexOf(id) < 0) missed.push(id);
        if (met.indexOf(id) < 0) met.push(id);
      });
      met = met.filter(function (id) { return missed.indexOf(id) < 0; });
      function named(ids) { return ids.map(function (id) { return names[id]; }); }
      return { missed: named(missed), met: named(met) };
    }
    function fill(dd, pairs) {
      dd.textContent = pairs.length ? "" : "none";
      var list = pairs.length ? dd.appendChild(el("ul")) : null;
      pairs.forEach(function (p) { list.appendChild(el("li", p[1] + " (" + p[0] + ")")); });
    }

    function showResult(r, announce) {
      var found = objectives(r), list = part("[data-ck-missed-list]"), groups = {}, more = !max || a.n < max;
      var kept = part("[data-ck-kept]"), earlier = validResult(a.p) && a.p.n !== r.n ? a.p : null;
      var verdict = r.passed ? "Passed" : "Not passed", score = r.score + "%, " + r.right + " of " + r.total +
        " questions right", summary = verdict + ": " + score;
      part("[data-ck-verdict]").textContent = verdict;
      part("[data-ck-score]").textContent = score;
      result.classList.toggle("ck-result--passed", r.passed);
      list.textContent = "";
      found.missed.forEach(function (m) { // grouped under each module
        if (!groups[m[0]]) {
          var li = el("li", m[0]);
          groups[m[0]] = li.appendChild(el("ul"));
          list.appendChild(li);
        }
        groups[m[0]].appendChild(el("li", m[1]));
      });
      part("[data-ck-missed]").hidden = !found.missed.length;
      kept.hidden = !earlier;
      kept.textContent = earlier ? "Your pass on attempt " + earlier.n + " (" + earlier.score + "% on " +
        longDate(earlier.date) + ") stays on your record." : "";
      retake.hidden = !more;
      part("[data-ck-no-more]").hidden = more;
      part("[data-ck-no-more]").textContent = more ? "" : "You have used all " + max + " attempts.";
      part("[data-ck-record-date]").textContent = longDate(r.date);
      part("[data-ck-record-attempt]").textContent = r.n + (max ? " of " + max : "");
      part("[data-ck-record-result]").textContent = summary + (earlier ? ". " + kept.textContent : "");
      part("[data-ck-record-drawn]").textContent = a.t.q.length + ": " + a.t.q.join(", ");
      fill(part("[data-ck-record-met]"), found.met);
      fill(part("[data-ck-record-missed]"), found.missed);
      showName();
      if (!announce) return;
      result.focus();
      live.textContent = summary + (found.missed.length ? ". Objectives to go over again: " + found.missed.length : "") + ".";
    }
    function showName() {
      part("[data-ck-record-name]").textContent = who.value.trim() || "(no name typed: type it above the questions)";
    }

    function mark() {
      var right = 0, ok = {}, total = a.t.q.length;
      a.t.q.forEach(function (ref) {
        var fs = byRef[ref];
        ok[ref] = cyrb53(salt + "|" + ref + "|" + chosen(fs).join(",")) === fs.getAttribute("data-ck-hash");
        if (ok[ref]) right += 1;
      });
      return { n: a.n, right: right, total: total, ok: ok, date: new Date().toISOString(),
        score: Math.floor((100 * right) / total), passed: right * 100 >= pass * total };
    }

    if (!(a.n >= 1)) a.n = 1;
    if (!validAttempt(a.t)) { // none yet, or progress of an older runtime: a pass it holds is kept
      if (validResult(a.r) && a.r.passed && !validResult(a.p)) a.p = a.r;
      a.t = newAttempt(null);
      a.r = null;
      save();
    }
    if (!isObject(a.t.s)) a.t.s = {};
    if (!isObject(a.t.o)) a.t.o = {};
    who.value = typeof a.name === "string" ? a.name : "";
    who.addEventListener("input", function () { a.name = who.value; save(); showName(); });
    box.addEventListener("change", function (event) {
      var fs = event.target.closest("fieldset[data-ck-q]");
      if (!fs || validResult(a.r)) return;
      a.t.s[fs.getAttribute("data-ck-q")] = chosen(fs);
      warned = false;
      save();
    });
    submit.addEventListener("click", function () {
      if (validResult(a.r)) return; // a marked attempt is closed
      var missing = [];
      a.t.q.forEach(function (ref, i) { if (!chosen(byRef[ref]).length) missing.push(i + 1); });
      if (missing.length && !warned) {
        warned = true;
        warning.textContent = live.textContent = "You have not answered " + (missing.length === 1 ? "question " : "questions ") +
          missing.join(", ") + ". Answer " + (missing.length === 1 ? "it" : "them") +
          ", or choose Submit assessment again to submit now: an unanswered question counts as wrong.";
        return;
      }
      warning.textContent = "";
      a.r = mark();
      if (a.r.passed && !validResult(a.p)) a.p = a.r;
      save();
      render(true);
    });
    part("[data-ck-print]").addEventListener("click", function () { window.print(); });
    retake.addEventListener("click", function () {
      part("[data-ck-dialog-text]").textContent = "This starts attempt " + (a.n + 1) + (max ? " of " + max : "") +
        (draw ? ", with newly drawn questions" : "") + ". This attempt's answers and result will be cleared" +
        (validResult(a.p) ? "; your pass on attempt " + a.p.n + " stays on your record." : ".");
      if (dialog.showModal) dialog.showModal();
      else dialog.setAttribute("open", "");
    });
    function closeDialog() {
      if (dialog.close) dialog.close();
      else dialog.removeAttribute("open");
    }
    part("[data-ck-cancel]").addEventListener("click", function () {
      closeDialog();
      retake.focus();
    });
    part("[data-ck-confirm]").addEventListener("click", function () {
      closeDialog();
      if (max && a.n >= max) return;
      a.n += 1;
      a.t = newAttempt(a.t);
      a.r = null;
      warned = false;
      save();
      render(false);
      live.textContent = "Attempt " + a.n + " started.";
      inputs(byRef[a.t.q[0]])[0].focus();
    });
    render(false);
    root.setAttribute("data-ck-ready", "");
  };
})();
