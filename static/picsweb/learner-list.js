// The learner list's tick boxes: the header box ticks the page; "select all N matching"
// ticks every row on view (the server acts on the filter, not on the ticked rows).
(function () {
  "use strict";
  var form = document.querySelector("[data-learner-list]");
  if (!form) { return; }
  var page = form.querySelector("[data-select-page]");
  var all = form.querySelector("[data-select-all-matching]");
  var rows = Array.prototype.slice.call(form.querySelectorAll("[data-learner-tick]"));
  var counter = form.querySelector("[data-selected-count]");
  var noun = form.getAttribute("data-noun") || "learners";
  function update() {
    var ticked = rows.filter(function (r) { return r.checked; }).length;
    if (page) {
      page.checked = rows.length > 0 && ticked === rows.length;
      page.indeterminate = ticked > 0 && ticked < rows.length;  // the mixed state, shown
    }
    if (counter) {
      counter.textContent = all && all.checked
        ? "All " + Number(all.value).toLocaleString("en-GB") + " matching " + noun + " are selected"
        : ticked + " selected on this page";
    }
  }
  if (page) {
    page.addEventListener("change", function () {
      rows.forEach(function (r) { r.checked = page.checked; });
      if (!page.checked && all) { all.checked = false; }
      update();
    });
  }
  if (all) {
    all.addEventListener("change", function () {
      if (all.checked) { rows.forEach(function (r) { r.checked = true; }); }
      update();
    });
  }
  rows.forEach(function (r) {
    r.addEventListener("change", function () {
      if (!r.checked && all) { all.checked = false; }
      update();
    });
  });
  update();
})();
