// A job's page: asks the API for the job's state every second and moves the bar; without
// JavaScript the page reloads itself instead (a <noscript> refresh).
(function () {
  var box = document.getElementById("job");
  if (!box) return;
  var finished = ["done", "failed", "cancelled"];
  if (finished.indexOf(box.dataset.state) >= 0) return;
  var bar = document.getElementById("job-bar");
  function show(job) {
    bar.style.width = job.percent + "%";
    bar.textContent = job.percent + "%";
    document.getElementById("job-progress").setAttribute("aria-valuenow", job.percent);
    document.getElementById("job-state").textContent = job.state_label;
    var rows = document.getElementById("job-rows");
    rows.textContent = rows.textContent.replace(/\d+/, job.rows);
    var message = document.getElementById("job-message");
    message.textContent = job.message || "";
    message.hidden = !job.message;
    if (finished.indexOf(job.state) >= 0) {
      window.location.reload();  // the finished page: its download link, its expiry, no cancel
      return true;
    }
    return false;
  }
  function poll() {
    fetch(box.dataset.api, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) { if (!job || !show(job)) setTimeout(poll, 1000); })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
