/* coursekit branching conversations (loaded by quiz.js on pages that have one; uses its helpers). The
   learner writes as the officer: each step's messages appear in a chat log (role="log": new messages are
   announced politely), the replies are buttons; a choice is posted as the officer's message, its
   feedback shown (the verdict in words), then the next step's messages, and focus moves to the new
   replies. At an ending: the debrief and the path taken, reply by reply, and "Try another path".
   The page carries the conversation in data-ck-key, steps in reading order, with the words for speakers
   and verdicts: {t: [{n: number, m: [[speaker, name, text]], r: [[text, verdict, its words, feedback
   HTML, next step index]] or e: [title, verdict, its words, debrief HTML]}]}.
   Progress v[ref] = {p: the reply chosen at each step so far, e: the endings reached}. */
(() => {
  "use strict";
  var ck = window.coursekit, el = ck.el, list = ck.arr;

  window.coursekitConversation = (root, data, save) => {
    var c = ck.decode(root), ref = ck.at(root, "conv");
    if (!c || !list(c.t).length) return;
    var steps = c.t, mine = ck.isObject(data.v[ref]) ? data.v[ref] : {}, path = [];
    var ended = list(mine.e).filter(i => steps[i] && steps[i].e);
    var chat = el("div", "ck-conv__chat"), log = chat.appendChild(el("div", "ck-conv__log"));
    var lines = log.appendChild(el("ol", "ck-chat__log")), options = chat.appendChild(el("div", "ck-conv__options"));
    var end = chat.appendChild(el("section", "ck-conv__end"));
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", "Conversation: " + ck.at(root, "title"));
    options.setAttribute("role", "group");
    options.setAttribute("aria-label", "Your reply");
    end.tabIndex = -1;

    function keep() {
      data.v[ref] = { p: path.slice(0, 200), e: ended }; // a loop could make a path of any length
      save();
    }
    function say(speaker, label, text) {
      var li = lines.appendChild(el("li", "ck-msg ck-msg--" + speaker)), who = li.appendChild(el("span", "ck-msg__who", label));
      who.append(el("span", "ck-sr", ":"));
      li.append(document.createTextNode(" "));
      li.append(el("span", "ck-msg__text", text));
    }
    function show(step) {
      list(step.m).forEach(m => say(m[0], m[1], m[2]));
    }
    /* Post reply i of a step: the officer's message, its feedback, the next step's messages. */
    function answer(step, i) {
      var reply = step.r[i];
      say("officer", "You, as the officer", reply[0]);
      var note = lines.appendChild(el("li", "ck-conv__feedback ck-conv--" + reply[1]));
      note.append(el("p", "ck-conv__verdict", "Feedback on your reply: " + reply[2] + "."));
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
      options.append(el("p", "ck-conv__prompt", "Step " + step.n + ": choose your reply."));
      list(step.r).forEach((reply, i) => {
        var button = options.appendChild(el("button", "md-button", reply[0]));
        button.type = "button";
        ck.on(button, () => {
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
      if (!ended.includes(steps.indexOf(step))) { ended.push(steps.indexOf(step)); keep(); }
      end.textContent = "";
      end.className = "ck-conv__end ck-conv--" + e[1];
      end.append(el("h3", null, "Ending: " + e[0]));
      end.append(el("p", "ck-conv__verdict", "Verdict: " + e[2] + "."));
      ck.html(end, "ck-conv__md", null, e[3]);
      end.append(el("h4", null, "Your path"));
      path.forEach(i => {
        var reply = at.r[i];
        taken.append(el("li", null, "Step " + at.n + ": you replied “" + reply[0] + "”. " + reply[2] + "."));
        at = steps[reply[4]];
      });
      end.append(taken);
      end.append(el("p", null, "You have reached " + ended.length + " of the " +
        steps.filter(s => s.e).length + " endings."));
      var again = end.appendChild(el("button", "md-button md-button--primary", "Try another path"));
      again.type = "button";
      ck.on(again, () => {
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
    list(mine.p).every(i => { // stops where the kept path no longer fits the conversation
      if (!valid(step, i)) return false;
      path.push(i);
      step = answer(step, i);
      return true;
    });
    var readable = root.querySelector(".ck-conv__steps");
    if (readable) root.removeChild(readable);
    root.append(chat);
    offer(step, false);
  };
})();
