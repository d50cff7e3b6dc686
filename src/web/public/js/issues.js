/**
 * Issue screens (the pages also work without JavaScript: up/down buttons post one move each):
 * - drag and drop of articles within and between sections, saved by posting the new order;
 * - live typesetting progress from the job's Server-Sent Events, reloading the page when it ends;
 * - "Sao chép" copies a new download link.
 */
(function () {
  'use strict';

  var form = document.getElementById('plan-form');
  if (form && form.getAttribute('data-plan-dnd') === '1') {
    var dragged = null;
    form.addEventListener('dragstart', function (e) {
      var li = e.target.closest && e.target.closest('.plan-article');
      if (!li) return;
      dragged = li;
      li.classList.add('dragging');
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setData('text/plain', li.getAttribute('data-id'));
    });
    form.addEventListener('dragend', function () {
      if (dragged) dragged.classList.remove('dragging');
      dragged = null;
      form.querySelectorAll('.drop-target').forEach(function (el) { el.classList.remove('drop-target'); });
    });
    form.addEventListener('dragover', function (e) {
      var list = e.target.closest && e.target.closest('.plan-articles');
      if (!dragged || !list) return;
      e.preventDefault();
      list.classList.add('drop-target');
      var over = e.target.closest('.plan-article');
      var empty = list.querySelector('.plan-empty');
      if (empty) empty.remove();
      if (over && over !== dragged) {
        var box = over.getBoundingClientRect();
        list.insertBefore(dragged, e.clientY > box.top + box.height / 2 ? over.nextSibling : over);
      } else if (!over) list.appendChild(dragged);
    });
    form.addEventListener('dragleave', function (e) {
      var list = e.target.closest && e.target.closest('.plan-articles');
      if (list) list.classList.remove('drop-target');
    });
    form.addEventListener('drop', function (e) {
      if (!dragged) return;
      e.preventDefault();
      var order = Array.prototype.map.call(form.querySelectorAll('.plan-section'), function (section) {
        return {
          title: section.getAttribute('data-title'),
          articleIds: Array.prototype.map.call(section.querySelectorAll('.plan-article'), function (li) { return Number(li.getAttribute('data-id')); }),
        };
      });
      form.querySelector('input[name="order"]').value = JSON.stringify(order);
      var edit = document.createElement('input');
      edit.type = 'hidden';
      edit.name = 'edit';
      edit.value = 'order';
      form.appendChild(edit);
      form.submit();
    });
  }

  // The worker reports its stage in English (logs, API); the screen names it in Vietnamese.
  var STAGES = {
    export: 'xuất bài',
    load: 'đọc bài',
    render: 'dựng trang',
    paginate: 'dàn trang',
    postprocess: 'hoàn thiện PDF',
    preflight: 'kiểm tra trước in',
    write: 'ghi tệp',
    paperwork: 'phiếu in và danh sách phát hành',
    cache: 'dùng lại bản đã dàn'
  };
  function stageText(data) {
    var name = data.stage && STAGES[data.stage];
    if (!name) return '';
    var pages = data.stage === 'paginate' && /(\d+) pages/.exec(data.message || '');
    return ' · ' + name + (pages ? ': ' + pages[1] + ' trang' : '');
  }

  var job = document.getElementById('job');
  var eventsUrl = job && job.getAttribute('data-events-url');
  if (eventsUrl && window.EventSource) {
    var bar = job.querySelector('progress');
    var label = job.querySelector('.job-state');
    var source = new EventSource(eventsUrl);
    source.addEventListener('progress', function (e) {
      var data = JSON.parse(e.data);
      bar.value = data.progress;
      label.textContent = 'Đang dàn trang… ' + data.progress + '%' + stageText(data);
    });
    source.addEventListener('end', function () {
      source.close();
      window.location.reload();
    });
    source.onerror = function () { source.close(); };
  }

  document.addEventListener('click', function (e) {
    var button = e.target.closest && e.target.closest('[data-copy]');
    if (!button) return;
    var input = document.querySelector(button.getAttribute('data-copy'));
    if (!input) return;
    input.select();
    if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(function () { button.textContent = 'Đã sao chép'; });
  });
})();
