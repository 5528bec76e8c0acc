// Reporting channel (信访举报): the proof of work that guards the forms, and
// small conveniences. A static file: pages carry no inline script.
(function () {
  "use strict";

  // SHA-256 (FIPS 180-4) in plain JavaScript: crypto.subtle exists only in
  // secure contexts and is asynchronous per call. Inputs here are short
  // (salt + number, under 100 bytes); typed arrays are reused across calls.
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  var W = new Int32Array(64);
  var M = new Int32Array(64);  // message words: inputs of up to 247 bytes
  var HEX = "0123456789abcdef";

  function sha256Hex(ascii) {
    var bytes = ascii.length;
    var total = (((bytes + 8) >> 6) + 1) * 16;
    var i;
    M.fill(0, 0, total);
    for (i = 0; i < bytes; i++) { M[i >> 2] |= ascii.charCodeAt(i) << (24 - (i % 4) * 8); }
    M[bytes >> 2] |= 0x80 << (24 - (bytes % 4) * 8);
    M[total - 1] = bytes * 8;
    var h0 = 0x6a09e667, h1 = 0xbb67ae85 | 0, h2 = 0x3c6ef372, h3 = 0xa54ff53a | 0;
    var h4 = 0x510e527f, h5 = 0x9b05688c | 0, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (var block = 0; block < total; block += 16) {
      var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
      for (i = 0; i < 64; i++) {
        if (i < 16) {
          W[i] = M[block + i];
        } else {
          var w15 = W[i - 15], w2 = W[i - 2];
          var s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
          var s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
          W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
        }
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var ch = (e & f) ^ (~e & g);
        var t1 = (h + S1 + ch + K[i] + W[i]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var maj = (a & b) ^ (a & c) ^ (b & c);
        var t2 = (S0 + maj) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
    }
    var words = [h0, h1, h2, h3, h4, h5, h6, h7];
    var out = "";
    for (i = 0; i < 8; i++) {
      for (var shift = 28; shift >= 0; shift -= 4) { out += HEX[(words[i] >>> shift) & 15]; }
    }
    return out;
  }

  function solve(box) {
    var data = JSON.parse(box.getAttribute("data-challenge"));
    var field = box.querySelector("input[type=hidden]");
    var status = box.querySelector("[data-proof-status]");
    var form = box.closest("form");
    var button = form && form.querySelector("[data-proof-submit]");
    var number = 0;
    if (button) { button.disabled = true; }
    function step() {
      var stop = Math.min(number + 20000, data.maxnumber);
      for (; number <= stop; number++) {
        if (sha256Hex(data.salt + number) === data.challenge) {
          field.value = btoa(JSON.stringify({
            salt: data.salt, challenge: data.challenge,
            signature: data.signature, number: number
          }));
          status.textContent = "安全验证完成，可以提交。";
          box.classList.add("rpt-proof--done");
          if (button) { button.disabled = false; }
          return;
        }
      }
      if (number > data.maxnumber) {
        status.textContent = "安全验证未能完成，请刷新页面重试。";
        return;
      }
      setTimeout(step, 0);
    }
    setTimeout(step, 0);
  }

  function toggleIdentity() {
    var box = document.querySelector("[data-identity]");
    var checked = document.querySelector("input[name=kind]:checked");
    if (box && checked) { box.hidden = checked.value !== "real_name"; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-proof]").forEach(solve);
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
