/* The item form's person search as you type: the person list keeps only the names that hold
   every typed word, and the first of them is chosen. Without this script the same search is a
   GET form (the "Find" button) that narrows the list on the server. */
(function () {
  "use strict";
  var input = document.getElementById("person-q");
  var select = document.querySelector("select[name='person-person_id']");
  if (!input || !select) { return; }
  var options = Array.prototype.slice.call(select.options);
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var first = null;
    options.forEach(function (option) {
      var text = option.text.toLowerCase();
      var shown = words.every(function (word) { return text.indexOf(word) !== -1; });
      option.hidden = !shown;
      option.disabled = !shown;
      if (shown && !first) { first = option; }
    });
    if (first) { select.value = first.value; }
  });
})();
