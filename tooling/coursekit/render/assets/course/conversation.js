/* coursekit branching conversations (loaded by quiz.js on pages that have one). The learner writes as the
   officer: each step's messages appear in a chat log (role="log": new messages are announced politely),
   the replies are buttons; a choice is posted as the officer's message, its feedback shown (the verdict in
   words), then the next step's messages. At an ending: the debrief and the path taken, reply by reply.
   The conversation is base64 JSON in data-ck-key, steps in reading order: {t: [{n: number,
   m: [[speaker, text]], r: [[text, verdict, feedback HTML, next step index]], e: [title, verdict, debrief
   HTML]}]}. Progress v[ref] = {p: reply index at each step taken, e: indexes of the endings reached}. */
(function () {
  "use strict";
  var WHO = { subject: "Subject", officer: "Officer", note: "Note" };
  var VERDICT = { within: "Within the line", risky: "Risky", crosses: "Crosses the line" };
  var MAX_PATH = 200; // a path round a loop could grow without end; storage keeps the first 200 replies

  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function html(parent, content) { // our own rendered Markdown, sanitised when the site was built
    var div = el("div", "ck-conv__md");
    div.insertAdjacentHTML("beforeend", content);
    parent.appendChild(div);
  }
  function decode(root) {
    try {
      var c = JSON.parse(atob(root.getAttribute("data-ck-key")));
      if (Array.isArray(c.t) && c.t.length) return c;
    } catch (e) { /* fall through */ }
    return null;
  }
  function list(v) { return Array.isArray(v) ? v : []; }

  window.coursekitConversation = function (root, data, save) {
    var c = decode(root), ref = root.getAttribute("data-ck-conv");
    if (!c) return;
    var title = root.getAttribute("data-ck-title") || "", mine = isObject(data.v[ref]) ? data.v[ref] : {};
    var path = [], ended = list(mine.e).filter(function (i) { return c.t[i] && c.t[i].e; });
    var wrap = el("div", "ck-conv__chat"), logBox = el("div", "ck-conv__log"), log = el("ol");
    var options = el("div", "ck-conv__options"), end = el("section", "ck-conv__end");
    logBox.setAttribute("role", "log");
    logBox.setAttribute("aria-live", "polite");
    logBox.setAttribute("aria-label", "Conversation: " + title);
    logBox.appendChild(log);
    options.setAttribute("role", "group");
    options.setAttribute("aria-label", "Your reply");
    end.setAttribute("tabindex", "-1");
    end.hidden = true;
    wrap.appendChild(logBox);
    wrap.appendChild(options);
    wrap.appendChild(end);

    function keep() {
      data.v[ref] = { p: path.slice(0, MAX_PATH), e: ended };
      save();
    }
    function message(speaker, label, text) {
      var li = el("li", "ck-msg ck-msg--" + speaker), who = el("span", "ck-msg__who", label);
      who.appendChild(el("span", "ck-sr", ":"));
      li.appendChild(who);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "ck-msg__text", text));
      log.appendChild(li);
    }
    function messages(step) {
      list(step.m).forEach(function (m) { message(WHO[m[0]] ? m[0] : "note", WHO[m[0]] || "Note", String(m[1])); });
    }
    function feedback(reply) {
      var li = el("li", "ck-conv__feedback ck-conv--" + reply[1]);
      li.appendChild(el("p", "ck-conv__verdict", "Feedback on your reply: " + (VERDICT[reply[1]] || "") + "."));
      html(li, String(reply[2]));
      log.appendChild(li);
    }
    /* Post a reply: the officer's message, its feedback, the next step's messages. Returns the next step. */
    function answer(step, i) {
      var reply = step.r[i];
      message("officer", "You, as the officer", String(reply[0]));
      feedback(reply);
      var next = c.t[reply[3]];
      messages(next);
      return next;
    }

    function offer(step, focus) {
      options.textContent = "";
      end.hidden = true;
      if (step.e) return finish(step, focus);
      options.hidden = false;
      options.appendChild(el("p", "ck-conv__prompt", "Step " + step.n + ": choose your reply."));
      list(step.r).forEach(function (reply, i) {
        var button = el("button", "md-button ck-conv__reply", String(reply[0]));
        button.type = "button";
        button.addEventListener("click", function () {
          path.push(i);
          var next = answer(step, i);
          keep();
          offer(next, true);
        });
        options.appendChild(button);
      });
      if (focus) options.querySelector("button").focus();
    }

    function finish(step, focus) {
      var index = c.t.indexOf(step), e = step.e;
      options.hidden = true;
      if (ended.indexOf(index) < 0) { ended.push(index); keep(); }
      end.textContent = "";
      end.className = "ck-conv__end ck-conv--" + e[1];
      end.appendChild(el("h3", null, "Ending: " + e[0]));
      end.appendChild(el("p", "ck-conv__verdict", "Verdict: " + (VERDICT[e[1]] || "") + "."));
      html(end, String(e[2]));
      end.appendChild(el("h4", null, "Your path"));
      var steps = el("ol", "ck-conv__path"), at = c.t[0];
      path.forEach(function (i) {
        var reply = at.r[i];
        steps.appendChild(el("li", null, "Step " + at.n + ": you replied “" + reply[0] + "”. " + (VERDICT[reply[1]] || "") + "."));
        at = c.t[reply[3]];
      });
      end.appendChild(steps);
      var endings = c.t.filter(function (s) { return s.e; }).length;
      end.appendChild(el("p", null, "You have reached " + ended.length + " of the " + endings + " endings."));
      var again = el("button", "md-button md-button--primary", "Try another path");
      again.type = "button";
      again.addEventListener("click", function () {
        path = [];
        keep();
        log.textContent = "";
        messages(c.t[0]);
        offer(c.t[0], true);
      });
      end.appendChild(again);
      end.hidden = false;
      if (focus) end.focus();
    }

    /* Replay the kept path before the log is on the page, so a reload announces nothing old. */
    var step = c.t[0];
    messages(step);
    list(mine.p).some(function (i) {
      if (!step.r || !step.r[i] || !c.t[step.r[i][3]]) return true; // the conversation changed: stop here
      path.push(i);
      step = answer(step, i);
      return false;
    });
    var fallback = root.querySelector(".ck-conv__steps");
    if (fallback) fallback.parentNode.removeChild(fallback);
    root.appendChild(wrap);
    offer(step, false);
  };
})();
