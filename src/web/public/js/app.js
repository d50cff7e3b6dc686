/**
 * Small behaviours for the editorial screens (no framework; every page also works without JavaScript):
 * - forms with data-confirm ask before doing something that cannot be undone;
 * - the article editor keeps its soft lock alive while the page is open and warns before leaving with
 *   unsaved changes.
 */
(function () {
  'use strict';

  document.addEventListener('submit', function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute('data-confirm')) || (form && form.getAttribute && form.getAttribute('data-confirm'));
    if (message && !window.confirm(message)) event.preventDefault();
  });

  var editForm = document.getElementById('edit-form');
  if (!editForm) return;

  var dirty = false;
  // Ctrl+S / Cmd+S saves, as in the word processor editors use all day.
  document.addEventListener('keydown', function (event) {
    if ((event.ctrlKey || event.metaKey) && (event.key === 's' || event.key === 'S')) {
      event.preventDefault();
      var save = editForm.querySelector('button[name="after"][value="save"]');
      if (save) save.click();
    }
  });
  editForm.addEventListener('input', function () { dirty = true; });
  editForm.addEventListener('submit', function () { dirty = false; });
  window.addEventListener('beforeunload', function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ''; }
  });

  var lockUrl = editForm.getAttribute('data-lock-url');
  var csrf = editForm.querySelector('input[name="_csrf"]');
  if (!lockUrl || !csrf) return;

  // Refresh the soft lock every minute and send the unsaved text with it, so that if the editor-in-chief
  // takes the article over, what was typed here is kept as a revision instead of being lost.
  function draft() {
    var body = new URLSearchParams();
    body.set('_csrf', csrf.value);
    ['title', 'lead', 'bodyHtml'].forEach(function (name) {
      var field = editForm.elements.namedItem(name);
      if (field && 'value' in field && dirty) body.set(name, field.value);
    });
    return body;
  }
  function refresh() {
    fetch(lockUrl, { method: 'POST', body: draft(), credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf.value } })
      .then(function (res) {
        if (res.status === 409) {
          var note = document.createElement('div');
          note.className = 'alert alert-warn';
          note.setAttribute('role', 'alert');
          note.textContent = 'Bài này đã được người khác tiếp quản. Hãy sao chép phần bạn đang sửa trước khi rời trang.';
          editForm.parentNode.insertBefore(note, editForm);
          clearInterval(timer);
        }
      })
      .catch(function () { /* offline for a moment: the next beat retries */ });
  }
  var timer = setInterval(refresh, 60000);
})();
