// The determination form: when the outcome changes, the articles whose items
// can support it move to the top (the one it must rest on first), the others
// are marked. The server orders them the same way when the page is loaded.
(function () {
  "use strict";
  var field = document.getElementById("basis-field");
  var outcome = document.getElementById("id_outcome");
  if (!field || !outcome) return;
  var table = JSON.parse(field.getAttribute("data-outcome-articles"));
  var box = field.querySelector("[data-basis-groups]");
  var help = document.getElementById("basis-help");
  function arrange() {
    var supporting = table[outcome.value] || [];
    var groups = Array.prototype.slice.call(box.querySelectorAll("fieldset[data-article]"));
    groups.sort(function (a, b) {
      var ra = supporting.indexOf(Number(a.dataset.article));
      var rb = supporting.indexOf(Number(b.dataset.article));
      if (ra === -1) ra = 100 + Number(a.dataset.article);
      if (rb === -1) rb = 100 + Number(b.dataset.article);
      return ra - rb;
    });
    groups.forEach(function (group) {
      var article = Number(group.dataset.article);
      var rank = supporting.indexOf(article);
      var tag = group.querySelector("[data-basis-tag]");
      group.classList.toggle("is-other", supporting.length > 0 && rank === -1);
      tag.textContent = !supporting.length ? "" : rank === 0 ? "所选结果须至少引用本条一项"
        : rank > 0 ? "可以一并引用" : "不能作为所选结果的依据";
      box.appendChild(group);
    });
    help.textContent = supporting.length
      ? "能够支持所选认定结果的条款排在前面；其余条款的各项不能作为该结果的依据。"
      : "请先选择认定结果，能够支持它的条款将排在前面。";
  }
  outcome.addEventListener("change", arrange);
  if (outcome.value) arrange();
})();
