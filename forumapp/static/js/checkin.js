/* Check-in page: scan a ticket's QR code with the camera (the browser's BarcodeDetector when
   it has one, the vendored jsQR otherwise), or take what a USB scanner types into the field
   (it ends with Enter), send it to the server and show the answer. Counts are refreshed every
   few seconds. Without JavaScript the same form posts and the server renders the answer. */
(function () {
  "use strict";
  var root = document.getElementById("checkin");
  if (!root) { return; }
  var form = document.getElementById("scan-form");
  var field = document.getElementById("scan-code");
  var box = document.getElementById("checkin-result");
  var message = document.getElementById("checkin-message");
  var person = document.getElementById("checkin-person");
  var arrived = document.getElementById("count-arrived");
  var expected = document.getElementById("count-expected");
  var missing = document.getElementById("count-missing");
  var toggle = document.getElementById("camera-toggle");
  var video = document.getElementById("camera-video");
  var canvas = document.getElementById("camera-canvas");
  var undoForm = document.getElementById("undo-form");
  var busy = false;
  var lastCode = "";
  var lastCodeAt = 0;

  function showCounts(counts) {
    if (!counts) { return; }
    arrived.textContent = counts.arrived;
    expected.textContent = counts.expected;
    if (missing) { missing.textContent = Math.max(counts.expected - counts.arrived, 0); }
  }

  function showResult(data) {
    box.className = "checkin-result " + (data.ok ? "checkin-ok" : "checkin-refused") + " checkin-" + data.result;
    message.textContent = data.message;
    var parts = [data.name, data.organisation, data.category].filter(function (p) { return p; });
    person.textContent = parts.join(" · ");
    showCounts(data.counts);
    if (undoForm) {
      undoForm.hidden = data.result !== "checked_in";
      if (!undoForm.hidden) {
        undoForm.action = undoForm.dataset.action.replace("999999999", String(data.registration_id));
      }
    }
    if (navigator.vibrate) { navigator.vibrate(data.ok ? 80 : [80, 60, 80]); }
  }

  function showError(text) {
    box.className = "checkin-result checkin-refused";
    message.textContent = text;
    person.textContent = "";
  }

  function send(code) {
    code = (code || "").trim();
    if (!code || busy) { return; }
    busy = true;
    var body = new FormData();
    body.append("code", code);
    if (root.dataset.item) { body.append("item", root.dataset.item); }
    fetch(root.dataset.scanUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": root.dataset.csrf }
    }).then(function (response) {
      if (response.redirected) {  // signed out meanwhile: the sign-in page, then back here
        window.location.reload();
        throw new Error("signed out");
      }
      if (response.status === 400) {  // an expired CSRF token: the page must be loaded again
        showError(root.dataset.expiredError);
        return null;
      }
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      if (data) { showResult(data); }
    }).catch(function () {
      showError(root.dataset.networkError);
    }).then(function () {
      busy = false;
      field.value = "";
      field.focus();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(field.value);
  });

  function refreshCounts() {
    if (document.hidden) { return; }
    fetch(root.dataset.countsUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(showCounts)
      .catch(function () { /* the next poll tries again */ });
  }
  window.setInterval(refreshCounts, 5000);

  // ---- camera ------------------------------------------------------------------------------
  var stream = null;
  var detector = null;
  var context = canvas.getContext && canvas.getContext("2d", { willReadFrequently: true });

  function found(code) {
    var now = Date.now();
    // The same code stays in front of the camera for a while: send it once per 3 seconds.
    if (code === lastCode && now - lastCodeAt < 3000) { return; }
    lastCode = code;
    lastCodeAt = now;
    send(code);
  }

  function decodeFrame() {
    if (!stream) { return; }
    if (video.readyState >= 2) {
      if (detector) {
        detector.detect(video).then(function (codes) {
          if (codes.length) { found(codes[0].rawValue); }
        }).catch(function () { detector = null; }).then(function () { window.requestAnimationFrame(decodeFrame); });
        return;
      }
      if (window.jsQR && context) {
        var width = Math.min(video.videoWidth, 640);
        var height = Math.round(video.videoHeight * width / video.videoWidth);
        canvas.width = width;
        canvas.height = height;
        context.drawImage(video, 0, 0, width, height);
        var image = context.getImageData(0, 0, width, height);
        var code = window.jsQR(image.data, width, height, { inversionAttempts: "dontInvert" });
        if (code && code.data) { found(code.data); }
      }
    }
    window.requestAnimationFrame(decodeFrame);
  }

  function stopCamera() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.hidden = true;
    toggle.textContent = toggle.dataset.start;
  }

  function startCamera() {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      toggle.textContent = toggle.dataset.stop;
      return video.play();
    }).then(function () {
      window.requestAnimationFrame(decodeFrame);
    }).catch(function () {
      stopCamera();
      showError(root.dataset.cameraError);
    });
  }

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia && (window.jsQR || "BarcodeDetector" in window)) {
    if ("BarcodeDetector" in window) {
      try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
    }
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      if (stream) { stopCamera(); } else { startCamera(); }
    });
  }
}());
