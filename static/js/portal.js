// Small progressive enhancements of the portal; every page works without them.
(function () {
  "use strict";

  // After a failed submission, take keyboard and screen reader users straight to the list of errors.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
