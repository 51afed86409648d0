/* coursekit SCORM build, in every page: when the page is shown by the package's launch page and that page
   holds an LMS session, keep progress there (window.coursekitStore, read by quiz.js) instead of in the
   browser. Loaded before quiz.js. Opened any other way, the page runs as the plain site. */
(function () {
  "use strict";
  var lms = null;
  try { lms = window.parent !== window ? window.parent.coursekitLms : null; } catch (e) { lms = null; }
  if (!lms || typeof lms.load !== "function" || typeof lms.save !== "function") return;

  /* suspend_data keeps only which assessment questions were right; the objectives to go over again are
     worked out from this page's questions, as quiz.js does when it scores. */
  function withMissed(data) {
    var r = data && data.a && data.a.r;
    if (!r || typeof r !== "object" || Array.isArray(r.missed) || !r.ok) return data;
    var missed = [];
    Array.prototype.forEach.call(document.querySelectorAll("[data-ck-assessment] fieldset[data-ck-q]"), function (fs) {
      if (r.ok[fs.getAttribute("data-ck-q")]) return;
      var pair = [fs.getAttribute("data-ck-module-title"), fs.getAttribute("data-ck-objective")];
      if (!missed.some(function (m) { return m[0] === pair[0] && m[1] === pair[1]; })) missed.push(pair);
    });
    if (missed.length || document.querySelector("[data-ck-assessment]")) r.missed = missed;
    return data;
  }

  window.coursekitStore = {
    load: function () { return withMissed(JSON.parse(lms.load() || "null")); },
    save: function (name, data) { lms.save(JSON.stringify(data)); }
  };

  // Links to other sites open beside the course: in the LMS frame they would replace it.
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    if (link && link.origin && link.origin !== window.location.origin) {
      link.target = "_blank";
      link.rel = "noopener";
    }
  });
})();
