// The bulk issue progress bar: polls a small JSON endpoint until the run finishes. The state
// lives on the server, so a reload picks it up where it is.
(function () {
  "use strict";
  var box = document.getElementById("bulk-progress");
  if (!box) return;
  var bar = box.querySelector("progress");
  var figures = box.querySelector(".figures");
  var failed = box.querySelector(".failed");
  var list = box.querySelector(".failures");
  // The trainees not issued and why, folded: a cohort's worth of reasons would push the
  // figures and the table off the screen.
  var folded = box.querySelector(".failures-box");
  function show(run) {
    if (run.status === "none") return false;
    box.hidden = false;
    bar.value = run.percent;
    figures.textContent = (run.done + run.failed) + " / " + run.total;
    failed.textContent = run.failed ? run.failed + " " + failed.dataset.label : "";
    folded.hidden = !run.failed;
    list.textContent = "";
    run.failures.forEach(function (f) {
      var li = document.createElement("li");
      li.textContent = f.name + ": " + f.reason;
      list.appendChild(li);
    });
    return run.status !== "finished";
  }
  var running = false;
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (run) {
        if (show(run)) {
          running = true;
          setTimeout(poll, 1500);
        } else if (running) {
          // Finished while watched: the page's counts and rows are the server's, read again.
          window.location.reload();
        }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  poll();
})();
