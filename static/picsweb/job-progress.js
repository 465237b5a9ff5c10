// Live progress on a job's page: poll its status once a second, move the bar, and reload
// the page when the job has finished so the report and the download appear.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-progress]");
  if (!box) { return; }
  var track = box.querySelector("[role=progressbar]");
  var bar = box.querySelector(".picsweb-progress__bar");
  var text = box.querySelector("[data-job-progress-text]");
  var tag = document.querySelector("[data-job-status]");
  bar.style.width = bar.dataset.percent + "%";  // set here: the CSP allows no inline style
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) {
        bar.style.width = s.percent + "%";
        track.setAttribute("aria-valuenow", String(s.percent));
        text.textContent = s.progress_text;
        if (tag) { tag.textContent = s.status_label; }
        if (s.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
