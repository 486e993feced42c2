// "Show in my time zone": pages print times in the event's zone inside <time datetime>; this
// rewrites them in the visitor's zone on request (remembered in localStorage), and back. The
// HTML stays the same for every visitor, so it can be cached and read without JavaScript.
(function () {
  "use strict";
  var notes = document.querySelectorAll("[data-zone-note]");
  var times = document.querySelectorAll("time[datetime][data-format]");
  if (!notes.length || !times.length || !window.Intl) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var lang = document.documentElement.lang || "en";
  var KEY = "forumapp.ownZone";
  var original = [];
  times.forEach(function (el) { original.push(el.textContent); });

  // The event's offset, read from the first time ("2016-06-09T10:00+05:00"): when it equals
  // the visitor's, there is nothing to offer.
  function sameOffset() {
    var value = times[0].getAttribute("datetime");
    var match = /([+-])(\d\d):(\d\d)$/.exec(value);
    if (!match) return false;
    var eventMinutes = (match[1] === "-" ? -1 : 1) * (parseInt(match[2], 10) * 60 + parseInt(match[3], 10));
    return -new Date(value).getTimezoneOffset() === eventMinutes;
  }

  function clock(date) {
    return date.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  }

  function format(el) {
    var date = new Date(el.getAttribute("datetime"));
    var kind = el.getAttribute("data-format");
    if (kind === "day") return date.toLocaleDateString(lang, { weekday: "long", day: "numeric", month: "long", year: "numeric" }) + ", " + clock(date);
    if (kind === "short") return date.toLocaleDateString(lang, { weekday: "long", day: "numeric", month: "long" }) + ", " + clock(date);
    return clock(date);
  }

  function show(own) {
    times.forEach(function (el, i) { el.textContent = own ? format(el) : original[i]; });
    notes.forEach(function (note) {
      note.querySelector("[data-zone-text]").textContent = own
        ? note.getAttribute("data-own-text").replace("{zone}", zone)
        : note.getAttribute("data-event-text");
      var button = note.querySelector("button");
      button.textContent = own ? note.getAttribute("data-show-event") : note.getAttribute("data-show-own");
      button.setAttribute("aria-pressed", own ? "true" : "false");
    });
    try { localStorage.setItem(KEY, own ? "1" : "0"); } catch (e) { /* private mode: not remembered */ }
  }

  if (sameOffset()) return;
  notes.forEach(function (note) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link zone-switch";
    note.appendChild(document.createTextNode(" "));
    note.appendChild(button);
    button.addEventListener("click", function () { show(button.getAttribute("aria-pressed") !== "true"); });
  });
  var remembered = null;
  try { remembered = localStorage.getItem(KEY); } catch (e) { /* ignore */ }
  show(remembered === "1");
})();
