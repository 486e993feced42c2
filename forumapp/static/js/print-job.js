// Progress of a background print job: polls its JSON status until it is done or failed.
(function () {
  var box = document.getElementById('job');
  if (!box) return;
  var label = box.dataset.label;
  function show(id, visible) { document.getElementById(id).hidden = !visible; }
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: 'same-origin'})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        var bar = document.getElementById('job-progress');
        bar.max = s.total || 1;
        bar.value = s.done;
        document.getElementById('job-text').textContent =
          label.replace('{done}', s.done).replace('{total}', s.total);
        document.getElementById('job-status').textContent = s.status_label;
        var left = document.getElementById('job-left');
        if (s.seconds_left !== null && s.seconds_left !== undefined) {
          var m = Math.floor(s.seconds_left / 60), sec = s.seconds_left % 60;
          left.textContent = left.dataset.label.replace('{time}', m + ':' + (sec < 10 ? '0' : '') + sec);
          left.hidden = false;
        } else { left.hidden = true; }
        if (s.refused_urls && s.refused_urls.length) {
          show('job-refused', true);
          document.querySelector('#job-refused span').textContent = s.refused_urls.join(', ');
        }
        box.dataset.state = s.status;
        if (s.status === 'done') { show('job-download', true); return; }
        if (s.status === 'failed') {
          show('job-error', true);
          document.getElementById('job-error').textContent = s.error;
          return;
        }
        setTimeout(poll, 700);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
