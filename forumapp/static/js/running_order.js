/* Drag and drop for a show's running order. The ↑/↓ buttons work without it; this only adds
   dragging rows, then posts the new order (segment ids) and reloads the page with new times. */
(function () {
  "use strict";
  var table = document.querySelector("table.running-order[data-order-url]");
  if (!table) { return; }
  var body = table.tBodies[0];
  var dragged = null;
  Array.prototype.forEach.call(body.querySelectorAll("tr[data-segment-id]"), function (row) {
    row.draggable = true;
    row.addEventListener("dragstart", function (event) {
      dragged = row;
      row.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.dataset.segmentId);
    });
    row.addEventListener("dragend", function () { row.classList.remove("dragging"); });
    row.addEventListener("dragover", function (event) {
      if (!dragged || dragged === row) { return; }
      event.preventDefault();
      var box = row.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      body.insertBefore(dragged, after ? row.nextSibling : row);
    });
    row.addEventListener("drop", function (event) { event.preventDefault(); save(); });
  });

  function save() {
    var ids = Array.prototype.map.call(body.querySelectorAll("tr[data-segment-id]"), function (row) {
      return row.dataset.segmentId;
    });
    var data = new URLSearchParams();
    data.set("order", ids.join(","));
    data.set("csrf_token", table.dataset.csrf);
    fetch(table.dataset.orderUrl, {
      method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function () { window.location.reload(); });
  }
})();
