/* ParkLink tables: a table wider than its wrapper scrolls inside `.pl-table-wrap` (and long
   preformatted text inside its `pre`); such a box must be reachable by keyboard (WCAG 2.1.1, axe "scrollable-region-focusable"), so
   it becomes a focusable, named region whenever it actually overflows, on every page and
   after every htmx swap and resize. */
(function () {
  "use strict";

  function label(wrap) {
    var section = wrap.closest("section, .pl-card");
    var heading = section && section.querySelector("h1, h2, h3");
    var caption = wrap.querySelector("caption");
    return (caption && caption.textContent.trim()) ||
      (heading && heading.textContent.trim()) || document.title;
  }

  function mark(wrap) {
    if (wrap.scrollWidth > wrap.clientWidth + 1) {
      if (!wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      if (!wrap.hasAttribute("aria-label")) wrap.setAttribute("aria-label", label(wrap));
    } else if (wrap.getAttribute("role") === "region") {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
    }
  }

  function markWithin(root) {
    var scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll(".pl-table-wrap, pre").forEach(mark);
    if (scope.classList && scope.classList.contains("pl-table-wrap")) mark(scope);
  }

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(function () { markWithin(document); }, 120);
  });
  document.addEventListener("DOMContentLoaded", function () { markWithin(document); });
  document.addEventListener("htmx:load", function (event) { markWithin(event.target); });
})();
