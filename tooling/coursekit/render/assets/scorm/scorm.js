/* coursekit SCORM build, in every page: when the page is shown by the package's launch page and that page
   holds an LMS session, keep progress there (window.coursekitStore, read by quiz.js) instead of in the
   browser. Loaded before quiz.js. Opened any other way, the page runs as the plain site. */
(function () {
  "use strict";
  var lms = null;
  try { lms = window.parent !== window ? window.parent.coursekitLms : null; } catch (e) { lms = null; }
  if (!lms || typeof lms.load !== "function" || typeof lms.save !== "function") return;

  window.coursekitStore = {
    load: function () { return JSON.parse(lms.load() || "null"); },
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
