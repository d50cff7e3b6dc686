/**
 * Photos straight into the rich-text editor: a "Ảnh" button in its toolbar, and pasting or dropping image
 * files, upload each photo to the picture store (POST /api/v1/pictures with the session's CSRF token) and
 * insert it where the cursor is as a figure whose caption is typed under it. The body then refers to the
 * stored picture (/media/<sha256>.jpg) instead of carrying the photo inside the text. Without JavaScript the
 * form's own photo field does the same on saving.
 */
(function () {
  'use strict';

  var editors = window.bantinEditors || [];
  if (!editors.length) return;

  var MESSAGES = {
    413: 'Ảnh quá lớn: mỗi ảnh tối đa 20 MB.',
    415: 'Tệp này không phải ảnh JPEG hoặc PNG.',
    400: 'Ảnh bị hỏng, không đọc được.',
    401: 'Phiên đăng nhập đã hết; hãy đăng nhập lại rồi thử lại.',
    403: 'Tài khoản của bạn không được tải ảnh lên.',
  };

  function csrfToken(form) {
    var field = form && form.querySelector('input[name="_csrf"]');
    return field ? field.value : '';
  }

  function say(wrapper, text, kind) {
    var note = wrapper.parentNode.querySelector('.rte-photo-note');
    if (!note) {
      note = document.createElement('p');
      note.className = 'rte-photo-note small';
      note.setAttribute('role', 'status');
      wrapper.insertAdjacentElement('afterend', note);
    }
    note.textContent = text;
    note.className = kind === 'error' ? 'rte-photo-note field-error' : 'rte-photo-note small muted';
  }

  function upload(file, token) {
    var body = new FormData();
    body.append('file', file, file.name || 'anh.jpg');
    return fetch('/api/v1/pictures', { method: 'POST', body: body, credentials: 'same-origin', headers: { 'X-CSRF-Token': token } })
      .then(function (res) {
        if (res.ok) return res.json();
        throw new Error(MESSAGES[res.status] || 'Không tải được ảnh lên (lỗi ' + res.status + '). Hãy thử lại.');
      });
  }

  function attach(editor, textarea) {
    var wrapper = textarea.nextElementSibling;
    if (!wrapper || !wrapper.classList.contains('rte')) return;
    var toolbar = wrapper.querySelector('.rte-toolbar');
    var form = textarea.form;
    var picker = document.createElement('input');
    picker.type = 'file';
    picker.accept = 'image/jpeg,image/png';
    picker.multiple = true;
    picker.hidden = true;
    picker.setAttribute('data-editor-photos', '');
    wrapper.appendChild(picker);

    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Ảnh';
    button.title = 'Chèn ảnh vào chỗ con trỏ (JPEG, PNG; tối đa 20 MB mỗi ảnh)';
    button.setAttribute('aria-label', 'Chèn ảnh');
    button.addEventListener('click', function () { picker.click(); });
    toolbar.appendChild(button);

    function insertAll(files) {
      var images = Array.prototype.filter.call(files, function (f) { return /^image\//.test(f.type) || /\.(jpe?g|png)$/i.test(f.name); });
      if (!images.length) return false;
      var token = csrfToken(form);
      var chain = Promise.resolve();
      images.forEach(function (file, i) {
        chain = chain.then(function () {
          say(wrapper, 'Đang tải ảnh ' + (i + 1) + '/' + images.length + ' lên…');
          return upload(file, token).then(function (picture) {
            editor.chain().focus().insertContent({ type: 'figure', attrs: { src: picture.url, alt: '' } }).run();
            textarea.value = editor.getHTML();
            form.dispatchEvent(new Event('input', { bubbles: true }));
          });
        });
      });
      chain
        .then(function () { say(wrapper, images.length === 1 ? 'Đã chèn ảnh. Gõ chú thích ngay dưới ảnh.' : 'Đã chèn ' + images.length + ' ảnh. Gõ chú thích ngay dưới mỗi ảnh.'); })
        .catch(function (err) { say(wrapper, err.message, 'error'); });
      return true;
    }

    picker.addEventListener('change', function () {
      insertAll(picker.files);
      picker.value = '';
    });
    // Pasted or dropped photo files are uploaded too, rather than embedded in the text.
    var surface = wrapper.querySelector('.rte-surface');
    surface.addEventListener('paste', function (event) {
      var files = event.clipboardData && event.clipboardData.files;
      if (files && files.length && insertAll(files)) event.preventDefault();
    }, true);
    surface.addEventListener('drop', function (event) {
      var files = event.dataTransfer && event.dataTransfer.files;
      if (files && files.length && insertAll(files)) event.preventDefault();
    }, true);
  }

  var areas = document.querySelectorAll('textarea[data-rich-editor]');
  Array.prototype.forEach.call(areas, function (textarea, i) {
    if (editors[i]) attach(editors[i], textarea);
  });
})();
