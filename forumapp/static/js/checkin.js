/* Check-in page: scan a ticket's QR code with the camera (the browser's BarcodeDetector when
   it has one, the vendored jsQR otherwise), or take what a USB scanner types into the field
   (it ends with Enter), send it to the server and show the answer. Counts are refreshed every
   few seconds. Without JavaScript the same form posts and the server renders the answer.

   Offline: a scan (or a pick from the search) that cannot reach the server is kept in
   localStorage with the time it was made, a banner says how many are waiting, and they are sent
   in order when the connection returns (the "online" event, or a retry every few seconds). The
   server records each at the time it was made and answers a repeated one "already checked in",
   so sending one twice does no harm. */
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

  // ---- sending, and the queue of scans made while offline -------------------------------------
  var banner = document.getElementById("offline-banner");
  var replayed = document.getElementById("replayed");
  var queueKey = "forumapp-checkin-queue:" + root.dataset.scanUrl + "#" + (root.dataset.item || "");
  var flushing = false;

  function NetworkError() {}

  function post(fields, scannedAt) {
    var body = new FormData();
    Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
    if (root.dataset.item) { body.append("item", root.dataset.item); }
    if (scannedAt) { body.append("scanned_at", String(scannedAt)); }
    return fetch(root.dataset.scanUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": root.dataset.csrf }
    }).catch(function () { throw new NetworkError(); }).then(function (response) {
      if (response.redirected) {  // signed out meanwhile: the sign-in page, then back here
        window.location.reload();
        throw new Error("signed out");
      }
      if (response.status === 400) { return { expired: true }; }  // an expired CSRF token
      if (response.status >= 502 && response.status <= 504) { throw new NetworkError(); }  // a proxy without its app
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    });
  }

  function loadQueue() {
    try { return JSON.parse(window.localStorage.getItem(queueKey) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(queue) {
    try {
      if (queue.length) { window.localStorage.setItem(queueKey, JSON.stringify(queue)); }
      else { window.localStorage.removeItem(queueKey); }
    } catch (e) { /* private mode without storage: the banner still counts this page's scans */ }
  }
  function showQueue() {
    var count = loadQueue().length;
    if (count) {
      banner.className = "offline-banner";
      banner.textContent = root.dataset.offline.replace("{count}", String(count));
      banner.hidden = false;
    }
    return count;
  }
  function enqueue(fields, label) {
    var queue = loadQueue();
    queue.push({ fields: fields, at: Date.now(), label: label || fields.code || "" });
    saveQueue(queue);
    showQueue();
    box.className = "checkin-result checkin-queued";
    message.textContent = root.dataset.queued;
    person.textContent = label || "";
    if (undoForm) { undoForm.hidden = true; }
  }
  function noteReplayed(data, entry) {
    var line = document.createElement("li");
    line.className = data.ok ? "ok" : "refused";
    line.textContent = [data.name || entry.label, data.message].filter(function (p) { return p; }).join(" — ");
    replayed.appendChild(line);
    replayed.hidden = false;
  }
  function flush() {
    if (flushing) { return; }
    var queue = loadQueue();
    if (!queue.length) { return; }
    flushing = true;
    var sent = 0;
    function next() {
      var pending = loadQueue();
      if (!pending.length) {
        flushing = false;
        banner.className = "offline-banner back-online";
        banner.textContent = root.dataset.sent.replace("{count}", String(sent));
        banner.hidden = false;
        refreshCounts();
        return;
      }
      var entry = pending[0];
      post(entry.fields, entry.at).then(function (data) {
        if (data.expired) { flushing = false; showError(root.dataset.expiredError); return; }
        saveQueue(loadQueue().slice(1));
        sent += 1;
        noteReplayed(data, entry);
        showCounts(data.counts);
        next();
      }).catch(function (error) {
        flushing = false;
        if (!(error instanceof NetworkError)) {  // the server refused it for good: do not retry forever
          saveQueue(loadQueue().slice(1));
          noteReplayed({ ok: false, message: root.dataset.networkError }, entry);
        }
        showQueue();
      });
    }
    next();
  }
  window.addEventListener("online", flush);
  window.setInterval(function () { if (loadQueue().length) { flush(); } }, 4000);
  if (showQueue()) { flush(); }

  function send(code) {
    code = (code || "").trim();
    if (!code || busy) { return; }
    busy = true;
    var done = function () { busy = false; field.value = ""; field.focus(); };
    if (loadQueue().length || navigator.onLine === false) {  // keep the order of the waiting scans
      enqueue({ code: code });
      flush();
      done();
      return;
    }
    post({ code: code }).then(function (data) {
      if (data.expired) { showError(root.dataset.expiredError); } else { showResult(data); }
    }).catch(function (error) {
      if (error instanceof NetworkError) { enqueue({ code: code }); } else { showError(root.dataset.networkError); }
    }).then(done);
  }

  // A pick from the search results: checked in without leaving the page, so the list stays.
  document.querySelectorAll(".checkin-found form.pick").forEach(function (pick) {
    pick.addEventListener("submit", function (event) {
      event.preventDefault();
      var id = pick.querySelector("input[name=registration_id]").value;
      var row = pick.closest("tr");
      var name = row ? row.querySelector("td").textContent.trim() : "";
      var button = pick.querySelector("button");
      button.disabled = true;
      var mark = function (text) {
        var cell = document.createElement("span");
        cell.className = "picked";
        cell.textContent = text;
        pick.replaceWith(cell);
        if (row) { row.className = "found-in"; }
      };
      if (loadQueue().length || navigator.onLine === false) {
        enqueue({ registration_id: id }, name);
        mark("⏳ " + root.dataset.queued);
        return;
      }
      post({ registration_id: id }).then(function (data) {
        if (data.expired) { showError(root.dataset.expiredError); button.disabled = false; return; }
        showResult(data);
        if (data.ok) { mark("✓ " + (data.checked_in_at || "")); } else { button.disabled = false; }
      }).catch(function (error) {
        if (error instanceof NetworkError) { enqueue({ registration_id: id }, name); mark("⏳ " + root.dataset.queued); }
        else { showError(root.dataset.networkError); button.disabled = false; }
      });
    });
  });

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
