/* coursekit final assessment (loaded by quiz.js on its page only; uses its helpers, window.coursekit). An
   attempt draws its questions and choice order (kept in progress), shows no feedback, is marked once
   against salted hashes of the right answers, then stays closed. Progress a: {name, n: attempts, t: {seed, q: refs, o: {ref: order},
   s: {ref: chosen}}, r: t's result, p: the first pass, kept, u: every question asked}. */
(() => {
  "use strict";
  var ck = window.coursekit, { isObject, all, validResult, longDate, inputs, chosen, at, on, arr } = ck; // chosen: the
  // values of a question's checked inputs, in order
  function el(tag, text) { return ck.el(tag, null, text); }

  /* cyrb53 (bryc, public domain), as the site builder hashed each question's right answers */
  function cyrb53(text) {
    var h1 = 0xdeadbeef, h2 = 0x41c6ce57;
    for (var i = 0, ch; i < text.length; i++) {
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
    return () => {
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

  window.coursekitAssessment = (root, data, save) => {
    var a = data.a, warned = 0;
    function part(name) { return root.querySelector("[data-ck-" + name + "]"); } // the element marked data-ck-<name>
    function put(name, text) { part(name).textContent = text; }
    var pass = Number(at(root, "pass")) || 100, salt = at(root, "salt") || "", draw = Number(at(root, "draw")) || 0;
    var max = Number(at(root, "max")) || 0, of = max ? " of " + max : "", shuffled = at(root, "shuffle") === "1";
    var box = part("questions"), live = part("live"), who = part("name"), submit = part("submit");
    var result = part("result"), dialog = part("dialog"), retake = part("retake"), warning = part("warning");
    var pool = all(box, "fieldset[data-ck-q]"), byRef = {};
    pool.forEach(fs => byRef[at(fs, "q")] = fs);


    /* An attempt: `draw` questions per objective (those no attempt asked first: no second try at a question
       after seeing which objectives were missed), or every question; choices in a new order unless true/false. */
    function newAttempt(before) {
      var seed = Math.floor(Math.random() * 4294967296), rand = generator(seed), refs = [], order = {};
      var seen = arr(a.u).concat(arr(before && before.q)), groups = {}, keys = [];
      pool.forEach(fs => {
        var key = draw ? at(fs, "oid") : "all";
        if (!groups[key]) { groups[key] = []; keys.push(key); }
        groups[key].push(at(fs, "q"));
      });
      keys.forEach(key => {
        var list = groups[key].slice(); // every question keeps the page's order; a draw is random
        if (draw) list = shuffle(list, rand).filter(r => !seen.includes(r))
          .concat(list.filter(r => seen.includes(r))).slice(0, draw);
        refs = refs.concat(list);
      });
      refs.forEach(ref => {
        var fs = byRef[ref], list = inputs(fs).map((i, k) => k);
        order[ref] = shuffled && at(fs, "type") !== "true_false" ? shuffle(list, rand) : list;
      });
      a.u = [...new Set(seen.concat(refs))];
      return { seed, q: refs, o: order, s: {} };
    }
    function validAttempt(t) {
      return isObject(t) && arr(t.q).length > 0 && t.q.every(r => byRef[r]);
    }

    function render(announce) {
      var t = a.t, r = validResult(a.r) ? a.r : null;
      pool.forEach(fs => fs.hidden = true);
      t.q.forEach((ref, i) => {
        var fs = byRef[ref], choices = fs.querySelector(".ck-choices"), s = arr(t.s[ref]);
        box.append(fs);
        fs.hidden = false;
        fs.querySelector(".ck-q__number").textContent = "Question " + (i + 1) + " of " + t.q.length;
        arr(t.o[ref]).forEach(k => {
          var input = fs.querySelector('input[value="' + Number(k) + '"]');
          if (input) choices.append(input.parentNode);
        });
        inputs(fs).forEach(input => {
          input.checked = s.includes(Number(input.value));
          input.disabled = !!r;
        });
      });
      put("attempt", "Attempt " + a.n + of + (r ? ": marked" : ""));
      who.readOnly = submit.hidden = !!r; // the record names whom the attempt was marked for
      result.hidden = !r;
      if (r) showResult(r, announce);
    }

    /* The objectives of this attempt, [module title, objective], missed (a question on it wrong) or met. */
    function objectives(r) {
      var missed = [], met = [], names = {};
      a.t.q.forEach(ref => {
        var fs = byRef[ref], id = at(fs, "oid") || at(fs, "objective");
        names[id] = [at(fs, "module-title"), at(fs, "objective")];
        if (!(isObject(r.ok) && r.ok[ref]) && !missed.includes(id)) missed.push(id);
        if (!met.includes(id)) met.push(id);
      });
      met = met.filter(id => !missed.includes(id));
      function named(ids) { return ids.map(id => names[id]); }
      return { missed: named(missed), met: named(met) };
    }
    function fill(dd, pairs) {
      dd.textContent = pairs.length ? "" : "none";
      var list = pairs.length ? dd.appendChild(el("ul")) : null;
      pairs.forEach(p => list.append(el("li", p[1] + " (" + p[0] + ")")));
    }

    function showResult(r, announce) {
      var found = objectives(r), list = part("missed-list"), groups = {}, more = !max || a.n < max;
      var kept = part("kept"), earlier = validResult(a.p) && a.p.n !== r.n ? a.p : null;
      var verdict = r.passed ? "Passed" : "Not passed", score = r.score + "%, " + r.right + " of " + r.total +
        " questions right", summary = verdict + ": " + score;
      put("verdict", verdict);
      put("score", score);
      result.classList.toggle("ck-result--passed", r.passed);
      list.textContent = "";
      found.missed.forEach(m => { // grouped under each module
        if (!groups[m[0]]) {
          var li = el("li", m[0]);
          groups[m[0]] = li.appendChild(el("ul"));
          list.append(li);
        }
        groups[m[0]].append(el("li", m[1]));
      });
      part("missed").hidden = !found.missed.length;
      kept.hidden = !earlier;
      kept.textContent = earlier ? "Your pass on attempt " + earlier.n + " (" + earlier.score + "% on " +
        longDate(earlier.date) + ") stays on your record." : "";
      retake.hidden = !more;
      part("no-more").hidden = more;
      put("no-more", more ? "" : "You have used all " + max + " attempts.");
      put("record-date", longDate(r.date));
      put("record-attempt", r.n + of);
      put("record-result", summary + (earlier ? ". " + kept.textContent : ""));
      put("record-drawn", a.t.q.length + ": " + a.t.q.join(", "));
      fill(part("record-met"), found.met);
      fill(part("record-missed"), found.missed);
      showName();
      if (!announce) return;
      result.focus();
      live.textContent = summary + (found.missed.length ? ". Objectives to go over again: " + found.missed.length : "") + ".";
    }
    function showName() {
      put("record-name", who.value.trim() || "(no name typed: type it above the questions)");
    }

    function mark() {
      var right = 0, ok = {}, total = a.t.q.length;
      a.t.q.forEach(ref => {
        var fs = byRef[ref];
        ok[ref] = cyrb53(salt + "|" + ref + "|" + chosen(fs).join(",")) === at(fs, "hash");
        if (ok[ref]) right++;
      });
      return { n: a.n, right, total, ok, date: new Date().toISOString(),
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
    who.addEventListener("input", () => { a.name = who.value; save(); showName(); });
    box.addEventListener("change", event => {
      var fs = event.target.closest("fieldset[data-ck-q]");
      if (!fs || validResult(a.r)) return;
      a.t.s[at(fs, "q")] = chosen(fs);
      warned = 0;
      save();
    });
    on(submit, () => {
      if (validResult(a.r)) return; // a marked attempt is closed
      var missing = [];
      a.t.q.forEach((ref, i) => { if (!chosen(byRef[ref]).length) missing.push(i + 1); });
      if (missing.length && !warned) {
        warned = 1;
        var one = missing.length === 1;
        warning.textContent = live.textContent = "You have not answered " + (one ? "question " : "questions ") +
          missing.join(", ") + ". Answer " + (one ? "it" : "them") +
          ", or choose Submit assessment again to submit now: an unanswered question counts as wrong.";
        return;
      }
      warning.textContent = "";
      a.r = mark();
      if (a.r.passed && !validResult(a.p)) a.p = a.r;
      save();
      render(true);
    });
    on(part("print"), () => window.print());
    on(retake, () => {
      put("dialog-text", "This starts attempt " + (a.n + 1) + of +
        (draw ? ", with newly drawn questions" : "") + ". This attempt's answers and result will be cleared" +
        (validResult(a.p) ? "; your pass on attempt " + a.p.n + " stays on your record." : "."));
      if (dialog.showModal) dialog.showModal();
      else dialog.setAttribute("open", "");
    });
    function closeDialog() {
      if (dialog.close) dialog.close();
      else dialog.removeAttribute("open");
    }
    on(part("cancel"), () => {
      closeDialog();
      retake.focus();
    });
    on(part("confirm"), () => {
      closeDialog();
      if (max && a.n >= max) return;
      a.n++;
      a.t = newAttempt(a.t);
      a.r = null;
      warned = 0;
      save();
      render(false);
      live.textContent = "Attempt " + a.n + " started.";
      inputs(byRef[a.t.q[0]])[0].focus();
    });
    render(false);
    root.setAttribute("data-ck-ready", "");
  };
})();
