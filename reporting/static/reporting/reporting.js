// Reporting channel (信访举报): the proof of work that guards the forms, and
// small conveniences. A static file: pages carry no inline script.
(function () {
  "use strict";

  // The widget's texts, in the site's language (the vendored bundle carries
  // English only). "verified" is what a reporter waits for before submitting.
  var STRINGS = {
    ariaLinkLabel: "ALTCHA",
    cancel: "取消",
    enterCode: "输入验证码",
    enterCodeAria: "输入您听到的验证码，按空格键播放音频。",
    enterCodeFromImage: "请输入下图中的验证码后继续。",
    error: "安全验证失败，请稍后重试。",
    expired: "安全验证已过期，请重新验证。",
    footer: "",
    getAudioChallenge: "获取音频验证码",
    label: "安全验证（防止机器批量提交）",
    loading: "加载中…",
    reload: "重新加载",
    verify: "验证",
    verificationRequired: "请先完成安全验证。",
    verified: "已通过验证",
    verifying: "正在进行安全验证…",
    waitAlert: "正在进行安全验证，请稍候…"
  };

  // The proof of work (reporting/challenge.py): the ALTCHA widget
  // (static/reporting/vendor/altcha/, loaded as a module by _proof.html)
  // solves the page's challenge with scrypt in a Web Worker and writes the
  // payload into a hidden "proof" field of the form. Everything is local:
  // the challenge is in the page, the worker is a file of this site.
  function startProof(box) {
    var status = box.querySelector("[data-proof-status]");
    var form = box.closest("form");
    var button = form && form.querySelector("[data-proof-submit]");
    var altcha = window.$altcha;
    // A failed or impossible proof must not trap what the reporter typed:
    // the button stays usable, and the server answers a missing proof with
    // the form as it was and a fresh challenge.
    function release(message) {
      status.textContent = message;
      if (button) { button.disabled = false; }
    }
    if (!altcha || !window.customElements || !window.isSecureContext) {
      release("本浏览器无法完成安全验证，请使用较新版本的浏览器，并通过 https 地址访问本页。");
      return;
    }
    if (!altcha.algorithms.has("SCRYPT")) {
      var worker = box.getAttribute("data-proof-worker");
      altcha.algorithms.set("SCRYPT", function () { return new Worker(worker); });
    }
    altcha.i18n.set("zh-cn", STRINGS);
    if (button) { button.disabled = true; }
    var widget = document.createElement("altcha-widget");
    widget.setAttribute("name", "proof");
    widget.setAttribute("language", "zh-cn");
    widget.setAttribute("auto", "onload");
    widget.setAttribute("challenge", box.getAttribute("data-challenge"));
    // No link to the vendor's site, no logo, and no collection of pointer
    // movements (the server never asks for them).
    widget.setAttribute("configuration", JSON.stringify({
      hideFooter: true, hideLogo: true, humanInteractionSignature: false
    }));
    widget.addEventListener("verified", function () {
      box.classList.add("rpt-proof--done");
      release("安全验证完成，可以提交。");
    });
    widget.addEventListener("statechange", function (event) {
      var state = event.detail && event.detail.state;
      if (state === "error") {
        release("安全验证未能完成。您仍可点击提交：已填写的内容会保留，页面将重新验证。");
      } else if (state === "expired") {
        box.classList.remove("rpt-proof--done");
        release("安全验证已过期。您仍可点击提交：已填写的内容会保留，页面将重新验证。");
      }
    });
    box.querySelector("[data-proof-widget]").appendChild(widget);
  }

  function toggleIdentity() {
    var box = document.querySelector("[data-identity]");
    var checked = document.querySelector("input[name=kind]:checked");
    if (box && checked) { box.hidden = checked.value !== "real_name"; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-proof]").forEach(startProof);
    document.querySelectorAll("input[name=kind]").forEach(function (radio) {
      radio.addEventListener("change", toggleIdentity);
    });
    toggleIdentity();
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }
    var copy = document.querySelector("[data-copy-code]");
    if (copy && navigator.clipboard) {
      copy.addEventListener("click", function () {
        var code = document.querySelector("[data-receipt-code]").textContent.trim();
        navigator.clipboard.writeText(code).then(function () { copy.textContent = "已复制"; });
      });
    } else if (copy) {
      copy.hidden = true;
    }
    var print = document.querySelector("[data-print]");
    if (print) { print.addEventListener("click", function () { window.print(); }); }
  });
})();
