// The public programme, improved in the browser; without this script the page is complete.
// - The chosen view (list or grid) is remembered in localStorage, not in a cookie: the page is
//   cached and shared, so a response must never set one.
// - Starred items ("my programme") are kept in localStorage per event; the links to the
//   filtered page and to the personal iCal feed list their ids (?items=3,7,9).
// - "Now" is marked here, with the browser's clock, so the cached page stays the same all day.
(function () {
  "use strict";
  const root = document.getElementById("programme");
  if (!root) return;
  const data = root.dataset;
  const starKey = "forumapp:starred:" + data.slug;
  const viewKey = "forumapp:programme-view";
  const MAX_STARRED = 200;

  function read(key, fallback) {
    try {
      const value = window.localStorage.getItem(key);
      return value === null ? fallback : JSON.parse(value);
    } catch (e) {
      return fallback;
    }
  }
  function write(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }

  // --- The view: remembered when chosen; a visit without ?view= opens the remembered one.
  const params = new URLSearchParams(window.location.search);
  const remembered = read(viewKey, null);
  if (!params.has("view") && remembered === "grid" && data.view !== "grid") {
    params.set("view", "grid");
    window.location.replace(window.location.pathname + "?" + params.toString() + window.location.hash);
    return;
  }
  root.querySelectorAll(".view-toggle a[data-view]").forEach((link) => {
    link.addEventListener("click", () => write(viewKey, link.dataset.view));
  });

  // --- My programme.
  function starred() {
    const ids = read(starKey, []);
    return Array.isArray(ids) ? ids.filter((id) => Number.isInteger(id) && id > 0).slice(0, MAX_STARRED) : [];
  }
  function showMine() {
    const ids = starred().sort((a, b) => a - b);
    const box = root.querySelector(".my-programme");
    if (!box) return;
    box.hidden = ids.length === 0;
    const list = ids.join(",");
    const view = data.view === "grid" ? "&view=grid" : "";
    box.querySelector(".my-view").href = data.pageUrl + "?items=" + list + view;
    box.querySelector(".my-ics").href = data.icsUrl + "?items=" + list;
    box.querySelector(".my-count").textContent = String(ids.length);
  }
  function setButton(button, on) {
    const title = button.dataset.title;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.setAttribute("aria-label", (on ? data.labelUnstar : data.labelStar) + ": " + title);
    button.title = on ? data.labelUnstar : data.labelStar;
    button.textContent = on ? "★" : "☆";
  }
  root.querySelectorAll(".programme-item[data-item]").forEach((item) => {
    const id = Number(item.dataset.item);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "star";
    const heading = item.querySelector("h3");
    button.dataset.title = heading ? heading.textContent.trim() : String(id);
    setButton(button, starred().includes(id));
    button.addEventListener("click", () => {
      let ids = starred();
      const on = !ids.includes(id);
      ids = on ? ids.concat([id]).slice(0, MAX_STARRED) : ids.filter((other) => other !== id);
      write(starKey, ids);
      setButton(button, on);
      showMine();
    });
    item.appendChild(button);
  });
  showMine();

  // --- Now and next, in the event's time zone, refreshed every minute.
  const clock = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
    { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: data.zone });
  const minuteOfDay = new Intl.DateTimeFormat("en-GB",
    { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: data.zone });

  function badge(item, cls, text) {
    const meta = item.querySelector(".meta");
    if (!meta) return;
    const span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    meta.prepend(span);
  }

  function markNow() {
    const now = Date.now();
    root.querySelectorAll(".now-badge, .next-badge, .now-line, .grid-now").forEach((el) => el.remove());
    const items = Array.from(root.querySelectorAll(".programme-item[data-start]"));
    let next = Infinity;
    items.forEach((item) => {
      const start = Number(item.dataset.start);
      const end = Number(item.dataset.end);
      const running = start <= now && now < end;
      item.classList.toggle("is-now", running);
      if (running) badge(item, "now-badge", data.labelNow);
      if (start > now && start < next) next = start;
    });
    const label = data.labelNow + " " + clock.format(now);
    // Only during the programme: the soonest start within the next 12 hours is "next".
    if (next !== Infinity && next - now < 12 * 3600 * 1000) {
      items.filter((item) => Number(item.dataset.start) === next).forEach((item) => {
        item.classList.add("is-next");
        badge(item, "next-badge", data.labelNext);
      });
    }
    // The current time as a line: in the list before the first item that starts later the
    // same day, in the grid across the halls at its row.
    root.querySelectorAll("section.day").forEach((section) => {
      const dayItems = Array.from(section.querySelectorAll(".programme-item[data-start]"));
      if (!dayItems.length) return;
      const first = Math.min(...dayItems.map((i) => Number(i.dataset.start)));
      const last = Math.max(...dayItems.map((i) => Number(i.dataset.end)));
      if (now < first || now >= last) return;
      const grid = section.querySelector(".programme-grid");
      if (grid) {
        const parts = minuteOfDay.format(now).split(":");
        const minute = Number(parts[0]) % 24 * 60 + Number(parts[1]);
        const row = Math.floor((minute - Number(grid.dataset.firstMinute)) / 5) + 2;
        // The line runs behind the items (their text stays readable); its label sits in the
        // times' column, which stays in view when a phone swipes between halls.
        const line = document.createElement("div");
        line.className = "grid-now";
        line.style.gridRow = String(row);
        const text = document.createElement("div");
        text.className = "grid-now grid-now-label";
        text.style.gridRow = String(row);
        text.textContent = label;
        grid.append(line, text);
      } else {
        const later = dayItems.find((i) => Number(i.dataset.start) > now);
        const line = document.createElement("p");
        line.className = "now-line";
        line.textContent = label;
        if (later) later.before(line); else dayItems[dayItems.length - 1].after(line);
      }
    });
  }
  markNow();
  window.setInterval(markNow, 60 * 1000);
})();
