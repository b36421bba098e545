// Small progressive enhancements of the portal; every page works without them.
(function () {
  "use strict";

  // After a failed submission, take keyboard and screen reader users straight to the list of errors.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // Wide tables scroll inside their wrapper (WCAG 1.4.10): keyboard users must reach and scroll
  // it, and screen readers name the region after the table's caption.
  var wrappers = document.querySelectorAll(".portal-table-wrapper:not([tabindex])");
  Array.prototype.forEach.call(wrappers, function (wrapper, index) {
    var caption = wrapper.querySelector("caption");
    if (!caption) {
      return;
    }
    if (!caption.id) {
      caption.id = "portal-table-caption-" + index;
    }
    wrapper.setAttribute("tabindex", "0");
    wrapper.setAttribute("role", "region");
    wrapper.setAttribute("aria-labelledby", caption.id);
  });

  // Staff sessions end after inactivity: warn two minutes before, so nobody loses their input.
  var warning = document.getElementById("idle-warning");
  var timeout = warning ? parseInt(warning.getAttribute("data-idle-timeout"), 10) : 0;
  if (warning && timeout > 120) {
    window.setTimeout(function () {
      warning.hidden = false;
    }, (timeout - 120) * 1000);
  }
})();
