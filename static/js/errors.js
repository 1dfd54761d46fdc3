// The error summary: focus it when a page or a swapped-in part brings one, and make its
// links move focus to their field (GOV.UK Design System pattern).
(function () {
  "use strict";
  function focusSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[data-field]");
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("data-field"));
    if (field) {
      event.preventDefault();
      var box = field.closest("details");
      if (box) {
        box.open = true;
      }
      field.focus();
      field.scrollIntoView({block: "center"});
    }
  });
  document.addEventListener("DOMContentLoaded", function () { focusSummary(document); });
  // Focus that someone moved after the swap and before settling stays where they put it.
  var swappedFocus = null;
  document.addEventListener("htmx:afterSwap", function () { swappedFocus = document.activeElement; });
  document.addEventListener("htmx:afterSettle", function () {
    var moved = swappedFocus !== null && document.activeElement !== swappedFocus;
    swappedFocus = null;
    if (!moved) { focusSummary(document); }
  });
})();
