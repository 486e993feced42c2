/* The schedule editor's drag and drop: an item card dropped on a slot of a hall moves the item
   there (same duration). The server checks the move again and answers with the warnings; the
   page is then reloaded so the grid and the warnings show the new schedule. Without this
   script, each item's form changes its hall and times (the keyboard path too). */
(function () {
  "use strict";
  var status = document.getElementById("schedule-status");
  Array.prototype.forEach.call(document.querySelectorAll("table.schedule-grid[data-move-url]"), function (table) {
    var dragged = null;
    Array.prototype.forEach.call(table.querySelectorAll(".item-card[data-item-id]"), function (card) {
      card.draggable = true;
      card.addEventListener("dragstart", function (event) {
        dragged = card;
        card.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", card.dataset.itemId);
      });
      card.addEventListener("dragend", function () {
        card.classList.remove("dragging");
        dragged = null;
      });
    });
    Array.prototype.forEach.call(table.querySelectorAll("td[data-start]"), function (cell) {
      cell.addEventListener("dragover", function (event) {
        if (!dragged) { return; }
        event.preventDefault();
        cell.classList.add("drop-target");
      });
      cell.addEventListener("dragleave", function () { cell.classList.remove("drop-target"); });
      cell.addEventListener("drop", function (event) {
        event.preventDefault();
        cell.classList.remove("drop-target");
        var itemId = dragged ? dragged.dataset.itemId : event.dataTransfer.getData("text/plain");
        if (itemId) { move(table, itemId, cell.dataset.hallId, cell.dataset.start); }
      });
    });
  });

  function move(table, itemId, hallId, start) {
    var url = table.dataset.moveUrl.replace(/\/0\/move$/, "/" + itemId + "/move");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": table.dataset.csrf },
      body: JSON.stringify({ hall_id: hallId, day: table.dataset.day, start: start })
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (answer.ok) {
          window.location.reload();
        } else if (status) {
          status.textContent = answer.error;
          status.classList.add("error");
        }
      });
    }).catch(function () {
      if (status) { status.textContent = "✗"; }
    });
  }
})();
