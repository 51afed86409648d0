/* coursekit SCORM 1.2 launch page: holds the LMS session for one launch and shows the site in a frame.
   LMSInitialize once when the launch page opens, LMSFinish once when it unloads; the pages in the frame
   hand their progress to window.coursekitLms (see scorm.js), which keeps it in cmi.suspend_data and
   reports a submitted assessment. Without an LMS the site runs as it does anywhere else. */
(function () {
  "use strict";
  var SUSPEND_MAX = 4096; // SCORM 1.2 CMIString4096
  var frame = document.getElementById("ck-course");
  var map = JSON.parse(document.getElementById("ck-course-map").textContent);
  var api = null, state = "null", reported = null, finished = false, started = new Date();

  /* The standard API search: this window's parents, then the opener's (ADL's SCORM 1.2 run-time guide). */
  function search(win) {
    for (var hops = 0; win && hops < 500; hops += 1) {
      try { if (win.API) return win.API; } catch (e) { return null; } // another origin: no further
      if (!win.parent || win.parent === win) return null;
      win = win.parent;
    }
    return null;
  }
  function findAPI() {
    var found = search(window);
    try { if (!found && window.top.opener) found = search(window.top.opener); } catch (e) { /* closed or foreign */ }
    return found;
  }

  function get(name) { return String(api.LMSGetValue(name)); }
  function set(name, value) { return String(api.LMSSetValue(name, String(value))) === "true"; }
  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }

  /* --- progress <-> suspend_data: by position in the course map, selections as base-36 bit masks --- */
  function mask(list) {
    var m = 0;
    for (var i = 0; i < 53; i += 1) if (Array.isArray(list) && list.indexOf(i) >= 0) m += Math.pow(2, i);
    return m.toString(36);
  }
  function unmask(text) {
    var m = parseInt(text, 36), list = [];
    for (var i = 0; m > 0 && i < 53; i += 1, m = Math.floor(m / 2)) if (m % 2) list.push(i);
    return list;
  }
  function validResult(r) { return isObject(r) && typeof r.score === "number" && typeof r.passed === "boolean"; }

  function positions(refs) {
    return (Array.isArray(refs) ? refs : []).map(function (ref) { return map.assessment.indexOf(ref); })
      .filter(function (i) { return i >= 0; });
  }
  function bits(ok, refs) { // 1 where the question was right, by position in the course map
    return map.assessment.map(function (ref) { return isObject(ok) && ok[ref] && refs.indexOf(ref) >= 0 ? 1 : 0; }).join("");
  }

  function encode(data) {
    var a = isObject(data.a) ? data.a : {}, t = isObject(a.t) ? a.t : {}, s = isObject(t.s) ? t.s : {};
    var q = isObject(data.q) ? data.q : {}, drawn = Array.isArray(t.q) ? t.q : [], r = a.r, p = a.p;
    var out = {
      e: map.edition,
      g: map.modules.map(function (id) { return isObject(data.ack) && data.ack[id] ? 1 : 0; }).join(""),
      q: map.questions.map(function (ref) { // selection, state (~ not checked, - wrong, + right), tries
        var e = q[ref];
        if (!isObject(e) || !Array.isArray(e.s)) return "";
        return mask(e.s) + (e.c ? (e.ok === true ? "+" : "-") : "~") + Math.min(Number(e.n) || 0, 99);
      }).join(","),
      a: map.assessment.map(function (ref) { return Array.isArray(s[ref]) ? mask(s[ref]) : ""; }).join(","),
      v: map.conversations.map(function (ref) { return path(isObject(data.v) ? data.v[ref] : null); }).join(",")
    };
    if (drawn.length) { // the attempt: its number, seed, questions (by position) and each one's choice order
      out.t = [Number(a.n) || 1, Number(t.seed) || 0, positions(drawn).join("."), positions(drawn).map(function (i) {
        var order = isObject(t.o) ? t.o[map.assessment[i]] : null;
        return Array.isArray(order) ? order.map(function (k) { return Number(k).toString(36); }).join("") : "";
      }).join(".")];
    }
    if (Array.isArray(a.u) && a.u.length) out.u = positions(a.u).join("."); // every question asked: retakes ask others
    if (typeof a.name === "string" && a.name) out.n = a.name.slice(0, 200);
    if (validResult(r)) {
      out.r = [r.score, r.right, r.total, r.passed ? 1 : 0, String(r.date).slice(0, 40), bits(r.ok, drawn), Number(r.n) || 1];
    }
    if (validResult(p)) out.p = [p.score, p.right, p.total, String(p.date).slice(0, 40), Number(p.n) || 1];
    return JSON.stringify(out);
  }

  /* A conversation: the reply chosen at each step as one base-36 digit (replies 0 to 35), a dot, then the
     endings reached as a bit mask of step positions; at most 100 replies of a path (a loop can make more). */
  function path(v) {
    if (!isObject(v)) return "";
    var list = Array.isArray(v.p) ? v.p : [], p = "";
    for (var i = 0; i < list.length && i < 100 && list[i] >= 0 && list[i] < 36; i += 1) p += Math.floor(list[i]).toString(36);
    return p + "." + mask(v.e); // a path is cut where a value is not a reply's position
  }
  function unpath(text) {
    var m = /^([0-9a-z]*)\.([0-9a-z]+)$/.exec(text);
    return m ? { p: m[1].split("").map(function (c) { return parseInt(c, 36); }), e: unmask(m[2]) } : null;
  }

  function decode(text) {
    var o, data = { ack: {}, q: {}, a: {}, v: {} };
    try { o = JSON.parse(text); } catch (e) { return null; }
    if (!isObject(o) || o.e !== map.edition) return null; // another edition's progress does not carry over
    String(o.g || "").split("").forEach(function (bit, i) { if (bit === "1" && map.modules[i]) data.ack[map.modules[i]] = true; });
    String(o.q || "").split(",").forEach(function (t, i) {
      var m = /^([0-9a-z]+)([~+-])(\d+)$/.exec(t);
      if (m && map.questions[i]) data.q[map.questions[i]] = { s: unmask(m[1]), ok: m[2] === "+", n: Number(m[3]), c: m[2] !== "~" };
    });
    String(o.v || "").split(",").forEach(function (t, i) {
      var v = unpath(t);
      if (v && map.conversations[i]) data.v[map.conversations[i]] = v;
    });
    var t = Array.isArray(o.t) && o.t.length === 4 ? o.t : null, drawn = [], order = {}, chosen = {};
    if (t) {
      var orders = String(t[3]).split(".");
      String(t[2]).split(".").forEach(function (pos, k) {
        var ref = map.assessment[Number(pos)];
        if (!ref || pos === "") return;
        drawn.push(ref);
        order[ref] = String(orders[k] || "").split("").map(function (c) { return parseInt(c, 36); });
      });
    }
    String(o.a || "").split(",").forEach(function (m, i) {
      if (/^[0-9a-z]+$/.test(m) && map.assessment[i]) chosen[map.assessment[i]] = unmask(m);
    });
    if (t && drawn.length) data.a = { n: Number(t[0]) || 1, t: { seed: Number(t[1]) || 0, q: drawn, o: order, s: chosen } };
    if (typeof o.n === "string") data.a.name = o.n;
    data.a.u = String(o.u || "").split(".").filter(function (pos) { return pos !== "" && map.assessment[Number(pos)]; })
      .map(function (pos) { return map.assessment[Number(pos)]; });
    var r = o.r;
    if (Array.isArray(r) && r.length === 7 && drawn.length) {
      var ok = {}; // which questions of the attempt were right; the page works out the objectives from it
      drawn.forEach(function (ref) { ok[ref] = String(r[5]).charAt(map.assessment.indexOf(ref)) === "1"; });
      data.a.r = { score: Number(r[0]), right: Number(r[1]), total: Number(r[2]), passed: r[3] === 1,
        date: String(r[4]), ok: ok, n: Number(r[6]) };
    }
    var p = o.p;
    if (Array.isArray(p) && p.length === 5) {
      data.a.p = { score: Number(p[0]), right: Number(p[1]), total: Number(p[2]), passed: true, date: String(p[3]), n: Number(p[4]) };
    }
    return data;
  }

  /* --- a submitted attempt: result, one interaction per question, the status of each objective tested --- */
  var objectiveIndex = {};
  function clock(iso) {
    var d = new Date(iso);
    if (isNaN(d)) d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds());
  }
  function report(a) {
    var r = a.r, t = a.t, best = validResult(a.p) ? a.p : r, time = clock(r.date), status = {};
    set("cmi.core.score.min", 0);
    set("cmi.core.score.max", 100);
    set("cmi.core.score.raw", best.score); // a pass is kept: a later attempt that fails does not undo it
    set("cmi.core.lesson_status", best.passed ? "passed" : "failed");
    (isObject(t) && Array.isArray(t.q) ? t.q : []).forEach(function (ref) {
      var i = map.assessment.indexOf(ref), n = Number(get("cmi.interactions._count")) || 0, at = "cmi.interactions." + n + ".";
      if (i < 0) return;
      var chosen = isObject(t.s) && Array.isArray(t.s[ref]) ? t.s[ref] : [], right = isObject(r.ok) && r.ok[ref] === true;
      var tf = map.kinds[i] === "true-false", objective = map.objectives[i];
      set(at + "id", ref);
      set(at + "objectives.0.id", objective);
      set(at + "time", time);
      set(at + "type", map.kinds[i]);
      set(at + "student_response", chosen.map(function (k) { return tf ? (k === 0 ? "t" : "f") : String.fromCharCode(97 + k); }).join(","));
      set(at + "result", right ? "correct" : "wrong");
      status[objective] = status[objective] !== "failed" && right ? "passed" : "failed";
    });
    Object.keys(status).forEach(function (id) {
      if (!(id in objectiveIndex)) {
        objectiveIndex[id] = Number(get("cmi.objectives._count")) || 0;
        set("cmi.objectives." + objectiveIndex[id] + ".id", id);
      }
      set("cmi.objectives." + objectiveIndex[id] + ".status", status[id]);
    });
  }
  function knownObjectives() {
    for (var n = Number(get("cmi.objectives._count")) || 0, i = 0; i < n; i += 1) objectiveIndex[get("cmi.objectives." + i + ".id")] = i;
  }

  /* --- the session --- */
  var pending = null;
  function commit() {
    if (pending) { clearTimeout(pending); pending = null; }
    api.LMSCommit("");
  }
  // Answers change often: commit their progress a moment later, once for a burst of clicks.
  function commitSoon() { if (!pending) pending = setTimeout(commit, 2000); }

  function save(json) {
    var data;
    if (finished) return;
    try { data = JSON.parse(json); } catch (e) { return; }
    if (!isObject(data)) return;
    state = json;
    var packed = encode(data);
    if (packed.length <= SUSPEND_MAX) set("cmi.suspend_data", packed);
    var r = isObject(data.a) ? data.a.r : null;
    if (validResult(r) && r.date !== reported) { // a new "Submit assessment"
      reported = r.date;
      report(data.a);
      commit();
    } else {
      commitSoon();
    }
  }

  function pagePath() {
    try {
      var base = window.location.href.replace(/[?#].*$/, "").replace(/[^/]*$/, "");
      var here = frame.contentWindow.location.href.replace(/[?#].*$/, "");
      return here.indexOf(base) === 0 ? here.slice(base.length) : null;
    } catch (e) { return null; } // a page of another site
  }
  function showing() {
    var path = pagePath();
    try { if (frame.contentDocument.title) document.title = frame.contentDocument.title; } catch (e) { /* foreign */ }
    if (api && !finished && path && path.length <= 255) { set("cmi.core.lesson_location", path); commit(); }
  }
  // Only a page of this package may be resumed (never the launch page itself, which would nest).
  function resumable(path) {
    return /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*\.html$/.test(path) && !/(^|\/)\.\.?\//.test(path) &&
      path !== "launch.html";
  }

  function sessionTime() {
    var t = Math.max(0, Math.floor((new Date() - started) / 10)), cs = t % 100, s = Math.floor(t / 100);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    var h = Math.min(9999, Math.floor(s / 3600));
    return ("000" + h).slice(-4) + ":" + two(Math.floor(s / 60) % 60) + ":" + two(s % 60) + "." + two(cs);
  }
  function finish() {
    if (!api || finished) return;
    finished = true;
    set("cmi.core.session_time", sessionTime());
    set("cmi.core.exit", "suspend"); // keep suspend_data: a learner who comes back finds their progress
    commit();
    api.LMSFinish("");
  }

  function start() {
    api = findAPI();
    if (api && String(api.LMSInitialize("")) !== "true") api = null;
    var page = map.home;
    if (api) {
      var data = decode(get("cmi.suspend_data"));
      if (data) {
        state = JSON.stringify(data);
        reported = data.a.r ? data.a.r.date : null;
      }
      knownObjectives();
      var status = get("cmi.core.lesson_status");
      if (status === "not attempted" || status === "") set("cmi.core.lesson_status", "incomplete");
      var location = get("cmi.core.lesson_location");
      if (resumable(location)) page = location;
      commit();
      window.coursekitLms = { load: function () { return state; }, save: save };
      window.addEventListener("pagehide", finish);
      window.addEventListener("unload", finish);
    }
    frame.addEventListener("load", showing);
    frame.src = page;
  }

  start();
})();
