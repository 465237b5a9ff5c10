// A text box that narrows a long list of checkboxes ([data-filterable]) as the user types;
// ticked boxes always stay visible.
(function () {
  "use strict";
  document.querySelectorAll("[data-filterable]").forEach(function (set) {
    var input = set.querySelector("[data-filter-input]");
    input.hidden = false;
    // Enter in a search box only searches: it never submits (and so never starts) the export.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    input.addEventListener("input", function () {
      var text = input.value.toLowerCase();
      set.querySelectorAll(".govuk-checkboxes__item").forEach(function (item) {
        var box = item.querySelector("input");
        var hide = !box.checked && item.textContent.toLowerCase().indexOf(text) === -1;
        item.style.display = hide ? "none" : "";  // govuk sets display: flex, which beats [hidden]
      });
    });
  });
})();
