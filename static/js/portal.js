// Small progressive enhancements of the portal; every page works without them.
(function () {
  "use strict";

  // After a failed submission, take keyboard and screen reader users straight to the list of errors.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // Staff sessions end after inactivity: warn two minutes before, so nobody loses their input.
  var warning = document.getElementById("idle-warning");
  var timeout = warning ? parseInt(warning.getAttribute("data-idle-timeout"), 10) : 0;
  if (warning && timeout > 120) {
    window.setTimeout(function () {
      warning.hidden = false;
    }, (timeout - 120) * 1000);
  }
})();
