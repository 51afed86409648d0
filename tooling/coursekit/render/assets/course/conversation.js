/* coursekit branching conversations (loaded by quiz.js on pages that have one; uses its helpers). The
   learner writes as the officer: each step's messages appear in a chat log (role="log": new messages are
   announced politely), the replies are buttons; a choice is posted as the officer's message, its
   feedback shown (the verdict in words), then the next step's messages, and focus moves to the new
   replies. At an ending: the debrief and the path taken, reply by reply, and "Try another path".
   The page carries the conversation in data-ck-key, steps in reading order, with the words for speakers
   and verdicts: {t: [{n: number, m: [[speaker, name, text]], r: [[text, verdict, its words, feedback
   HTML, next step index]] or e: [title, verdict, its words, debrief HTML]}]}.
   Progress v[ref] = {p: the reply chosen at each step so far, e: the endings reached}. */
(function () {
  "use strict";
  var ck = window.coursekit, el = ck.el;

  function list(v) { return Array.isArray(v) ? v : []; }

  window.coursekitConversation = function (root, data, save) {
    var c = ck.decode(root), ref = root.getAttribute("data-ck-conv");
    if (!c || !list(c.t).length) return;
    var steps = c.t, mine = ck.isObject(data.v[ref]) ? data.v[ref] : {}, path = [];
    var ended = list(mine.e).filter(function (i) { return steps[i] && steps[i].e; });
    var chat = el("div", "ck-conv__chat"), log = chat.appendChild(el("div", "ck-conv__log"));
    var lines = log.appendChild(el("ol", "ck-chat__log")), options = chat.appendChild(el("div", "ck-conv__options"));
    var end = chat.appendChild(el("section", "ck-conv__end"));
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", "Conversation: " + root.getAttribute("data-ck-title"));
    options.setAttribute("role", "group");
    options.setAttribute("aria-label", "Your reply");
    end.tabIndex = -1;

    function keep() {
      data.v[ref] = { p: path.slice(0, 200), e: ended }; // a loop could make a path of any length
      save();
    }
    function say(speaker, label, text) {
      var li = lines.appendChild(el("li", "ck-msg ck-msg--" + speaker)), who = li.appendChild(el("span", "ck-msg__who", label));
      who.appendChild(el("span", "ck-sr", ":"));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "ck-msg__text", text));
    }
    function show(step) {
      list(step.m).forEach(function (m) { say(m[0], m[1], m[2]); });
    }
    /* Post reply i of a step: the officer's message, its feedback, the next step's messages. */
    function answer(step, i) {
      var reply = step.r[i];
      say("officer", "You, as the officer", reply[0]);
      var note = lines.appendChild(el("li", "ck-conv__feedback ck-conv--" + reply[1]));
      note.appendChild(el("p", "ck-conv__verdict", "Feedback on your reply: " + reply[2] + "."));
      ck.html(note, "ck-conv__md", null, reply[3]);
      show(steps[reply[4]]);
      return steps[reply[4]];
    }
    function valid(step, i) { return step.r && step.r[i] && steps[step.r[i][4]]; }

    function offer(step, focus) {
      options.textContent = "";
      options.hidden = !!step.e;
      end.hidden = !step.e;
      if (step.e) return finish(step, focus);
      options.appendChild(el("p", "ck-conv__prompt", "Step " + step.n + ": choose your reply."));
      list(step.r).forEach(function (reply, i) {
        var button = options.appendChild(el("button", "md-button", reply[0]));
        button.type = "button";
        button.addEventListener("click", function () {
          path.push(i);
          var next = answer(step, i);
          keep();
          offer(next, true);
        });
      });
      if (focus) options.querySelector("button").focus();
    }

    function finish(step, focus) {
      var e = step.e, at = steps[0], taken = el("ol");
      if (ended.indexOf(steps.indexOf(step)) < 0) { ended.push(steps.indexOf(step)); keep(); }
      end.textContent = "";
      end.className = "ck-conv__end ck-conv--" + e[1];
      end.appendChild(el("h3", null, "Ending: " + e[0]));
      end.appendChild(el("p", "ck-conv__verdict", "Verdict: " + e[2] + "."));
      ck.html(end, "ck-conv__md", null, e[3]);
      end.appendChild(el("h4", null, "Your path"));
      path.forEach(function (i) {
        var reply = at.r[i];
        taken.appendChild(el("li", null, "Step " + at.n + ": you replied “" + reply[0] + "”. " + reply[2] + "."));
        at = steps[reply[4]];
      });
      end.appendChild(taken);
      end.appendChild(el("p", null, "You have reached " + ended.length + " of the " +
        steps.filter(function (s) { return s.e; }).length + " endings."));
      var again = end.appendChild(el("button", "md-button md-button--primary", "Try another path"));
      again.type = "button";
      again.addEventListener("click", function () {
        path = [];
        keep();
        lines.textContent = "";
        show(steps[0]);
        offer(steps[0], true);
      });
      if (focus) end.focus();
    }

    /* Replay the kept path before the chat is on the page, so that a reload announces nothing old. */
    var step = steps[0];
    show(step);
    list(mine.p).every(function (i) { // stops where the kept path no longer fits the conversation
      if (!valid(step, i)) return false;
      path.push(i);
      step = answer(step, i);
      return true;
    });
    var readable = root.querySelector(".ck-conv__steps");
    if (readable) root.removeChild(readable);
    root.appendChild(chat);
    offer(step, false);
  };
})();
