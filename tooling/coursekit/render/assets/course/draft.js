/* coursekit drafting exercises (loaded by quiz.js on pages that have one; uses its helpers). The learner
   writes a reply; "Show the model answer" reveals the model answer and a checklist to tick against their
   own text. Self-assessment only: the text and ticks stay in this browser (localStorage, under a key of
   their own), never in the progress an LMS receives, never marked. The page carries the answer in
   data-ck-key: {m: model answer HTML, c: [checklist points], x: explanation HTML}. */
(() => {
  "use strict";
  var ck = window.coursekit, el = ck.el;

  window.coursekitDraft = (root, data, save, name) => {
    var key = ck.decode(root), store = name + ":drafts", ref = ck.at(root, "draft"), all, find = s => root.querySelector(s);
    var text = find("textarea"), show = find("[data-ck-show]"), box = find("[data-ck-answer]");
    if (!key) return;
    function read() { // every exercise's draft, as kept now: another tab may have written one since
      try { all = JSON.parse(localStorage.getItem(store) || "null"); } catch (e) { all = null; }
      if (!ck.isObject(all)) all = {};
    }
    read();
    var mine = ck.isObject(all[ref]) ? all[ref] : {}, ticks = ck.arr(mine.c);
    function keep() {
      read();
      all[ref] = { t: text.value, c: ticks, s: !box.hidden };
      try { localStorage.setItem(store, JSON.stringify(all)); } catch (e) { /* kept on the page only */ }
    }
    function part(title, content) {
      box.append(el("h4", null, title));
      ck.html(box, "ck-draft__md", null, String(content));
    }

    function reveal(focus) {
      var set = el("fieldset", "ck-draft__checklist");
      box.textContent = "";
      part("Model answer", key.m);
      set.append(el("legend", null, "Tick each point your reply covers"));
      ck.arr(key.c).forEach((point, i) => {
        var row = set.appendChild(el("div", "ck-choice")), tick = row.appendChild(el("input"));
        var label = row.appendChild(el("label", null, String(point)));
        tick.type = "checkbox";
        tick.id = label.htmlFor = root.id + "-point-" + i;
        tick.checked = ticks.includes(i);
        tick.addEventListener("change", () => {
          ticks = ticks.filter(k => k !== i).concat(tick.checked ? [i] : []);
          keep();
        });
      });
      box.append(set);
      part("Explanation", key.x);
      box.hidden = false;
      show.hidden = true;
      if (focus) box.focus();
    }

    text.value = typeof mine.t === "string" ? mine.t : "";
    text.addEventListener("input", keep);
    box.tabIndex = -1;
    show.hidden = false;
    ck.on(show, () => { reveal(true); keep(); });
    if (mine.s) reveal(false);
  };
})();
