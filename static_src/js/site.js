// Elder-friendly mode (适老化): larger text and higher contrast, remembered
// on this device. Kept in a static file so pages need no inline script.
(function () {
  "use strict";
  var KEY = "portal-elder-mode";
  var root = document.documentElement;
  function apply(on) {
    root.classList.toggle("elder", on);
    document.querySelectorAll("[data-elder-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
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
