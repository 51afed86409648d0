/* coursekit drafting exercises (loaded by quiz.js on pages that have one). The learner writes a reply,
   then "Show the model answer" reveals the model answer and the checklist to tick against their own text.
   Self-assessment only: the text and the ticks stay in this browser (localStorage, a key of their own),
   never in the course progress an LMS receives, never scored. The model answer is base64 JSON in
   data-ck-key: {m: model answer HTML, c: [checklist points], x: explanation HTML}. */
(function () {
  "use strict";
  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  window.coursekitDraft = function (root, name) {
    var ref = root.getAttribute("data-ck-draft"), text = root.querySelector("textarea");
    var show = root.querySelector("[data-ck-show]"), box = root.querySelector("[data-ck-answer]"), key, all;
    try { key = JSON.parse(atob(root.getAttribute("data-ck-key"))); } catch (e) { return; }
    try { all = JSON.parse(localStorage.getItem(name) || "null"); } catch (e) { all = null; }
    if (!isObject(all)) all = {};
    var mine = isObject(all[ref]) ? all[ref] : {}, ticks = Array.isArray(mine.c) ? mine.c : [];
    function keep() {
      all[ref] = { t: text.value, c: ticks, s: !box.hidden };
      try { localStorage.setItem(name, JSON.stringify(all)); } catch (e) { /* kept on the page only */ }
    }

    function reveal(focus) {
      box.textContent = "";
      box.appendChild(el("h4", null, "Model answer"));
      var model = el("div", "ck-draft__model");
      model.insertAdjacentHTML("beforeend", String(key.m)); // our own rendered Markdown, already sanitised
      box.appendChild(model);
      var set = el("fieldset", "ck-draft__checklist"), legend = el("legend", null, "Tick each point your reply covers");
      set.appendChild(legend);
      (Array.isArray(key.c) ? key.c : []).forEach(function (point, i) {
        var row = el("div", "ck-choice"), tick = el("input"), label = el("label", null, String(point));
        tick.type = "checkbox";
        tick.id = root.id + "-c" + i;
        label.htmlFor = tick.id;
        tick.checked = ticks.indexOf(i) >= 0;
        tick.addEventListener("change", function () {
          ticks = ticks.filter(function (k) { return k !== i; });
          if (tick.checked) ticks.push(i);
          keep();
        });
        row.appendChild(tick);
        row.appendChild(label);
        set.appendChild(row);
      });
      box.appendChild(set);
      if (key.x) {
        box.appendChild(el("p", "ck-why-title", "Explanation"));
        var why = el("div", "ck-draft__why");
        why.insertAdjacentHTML("beforeend", String(key.x));
        box.appendChild(why);
      }
      box.hidden = false;
      show.hidden = true;
      if (focus) { box.setAttribute("tabindex", "-1"); box.focus(); }
    }

    text.value = typeof mine.t === "string" ? mine.t : "";
    text.addEventListener("input", keep);
    show.hidden = false;
    show.addEventListener("click", function () { reveal(true); keep(); });
    if (mine.s) reveal(false);
  };
})();
