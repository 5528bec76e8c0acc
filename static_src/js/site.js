// Elder-friendly mode (适老化): larger text and higher contrast, remembered
// on this device. Kept in a static file so pages need no inline script.
(function () {
  "use strict";
  var KEY = "portal-elder-mode";
  var root = document.documentElement;
  function apply(on) {
    root.classList.toggle("elder", on);
    document.querySelectorAll("[data-elder-toggle]").forEach(function (button) {
      // The label says what a press will do next; a button whose label
      // changes carries no aria-pressed (it would say the state twice).
      var label = button.getAttribute(on ? "data-label-on" : "data-label-off");
      if (label) { button.textContent = label; }
    });
  }
  var stored = false;
  try { stored = window.localStorage.getItem(KEY) === "1"; } catch (e) { stored = false; }
  if (stored) { root.classList.add("elder"); }
  document.addEventListener("DOMContentLoaded", function () {
    apply(root.classList.contains("elder"));
    document.querySelectorAll("[data-elder-toggle]").forEach(function (button) {
      button.addEventListener("click", function () {
        var on = !root.classList.contains("elder");
        apply(on);
        try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
      });
    });
  });
})();
