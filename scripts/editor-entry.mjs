/* global document, window */
/**
 * Browser entry of the rich-text editor (TipTap 3 on ProseMirror), bundled by scripts/build-editor.mjs
 * into src/web/public/vendor/editor.js and committed, so the app runs on a closed network without a build.
 *
 * Progressive enhancement: every `<textarea data-rich-editor>` stays the real form field. The editor
 * hides it, edits a copy and writes the HTML back on every change, so without JavaScript the form still
 * posts (raw HTML) and the server sanitizes whatever arrives either way.
 */
import { Editor, Node, mergeAttributes } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import Image from '@tiptap/extension-image';

/**
 * Photos live in the body as <figure><img><figcaption>…</figcaption></figure> (what the typesetter and the
 * server's sanitizer expect). StarterKit has no figure node and would split the caption into a loose
 * paragraph, so this node keeps image + caption together and lets the caption be edited in place.
 */
const Figure = Node.create({
  name: 'figure',
  group: 'block',
  content: 'inline*',
  draggable: true,
  isolating: true,
  addAttributes() {
    return {
      src: { default: null, parseHTML: (el) => el.querySelector('img')?.getAttribute('src') ?? null },
      alt: { default: null, parseHTML: (el) => el.querySelector('img')?.getAttribute('alt') ?? null },
    };
  },
  parseHTML() {
    return [{ tag: 'figure', contentElement: 'figcaption' }];
  },
  renderHTML({ HTMLAttributes }) {
    const { src, alt } = HTMLAttributes;
    return ['figure', mergeAttributes({}), ['img', { src, alt: alt ?? '', draggable: 'false', contenteditable: 'false' }], ['figcaption', 0]];
  },
});

const BUTTONS = [
  { label: 'Đậm', title: 'Chữ đậm (Ctrl+B)', run: (c) => c.toggleBold(), active: (e) => e.isActive('bold'), html: '<b>B</b>' },
  { label: 'Nghiêng', title: 'Chữ nghiêng (Ctrl+I)', run: (c) => c.toggleItalic(), active: (e) => e.isActive('italic'), html: '<i>I</i>' },
  { label: 'Tiêu đề mục', title: 'Tiêu đề mục', run: (c) => c.toggleHeading({ level: 2 }), active: (e) => e.isActive('heading', { level: 2 }), html: 'H2' },
  { label: 'Tiêu đề nhỏ', title: 'Tiêu đề nhỏ', run: (c) => c.toggleHeading({ level: 3 }), active: (e) => e.isActive('heading', { level: 3 }), html: 'H3' },
  { label: 'Danh sách', title: 'Danh sách gạch đầu dòng', run: (c) => c.toggleBulletList(), active: (e) => e.isActive('bulletList'), html: '•&nbsp;≡' },
  { label: 'Danh sách số', title: 'Danh sách đánh số', run: (c) => c.toggleOrderedList(), active: (e) => e.isActive('orderedList'), html: '1.&nbsp;≡' },
  { label: 'Trích dẫn', title: 'Trích dẫn', run: (c) => c.toggleBlockquote(), active: (e) => e.isActive('blockquote'), html: '“ ”' },
  { label: 'Hoàn tác', title: 'Hoàn tác (Ctrl+Z)', run: (c) => c.undo(), active: () => false, html: '↶' },
  { label: 'Làm lại', title: 'Làm lại (Ctrl+Y)', run: (c) => c.redo(), active: () => false, html: '↷' },
];

function enhance(textarea) {
  const wrapper = document.createElement('div');
  wrapper.className = 'rte';
  const toolbar = document.createElement('div');
  toolbar.className = 'rte-toolbar';
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', 'Định dạng văn bản');
  const surface = document.createElement('div');
  surface.className = 'rte-surface';
  wrapper.append(toolbar, surface);
  textarea.insertAdjacentElement('afterend', wrapper);
  textarea.hidden = true;

  const editor = new Editor({
    element: surface,
    extensions: [StarterKit.configure({ link: false }), Figure, Image.configure({ inline: false, allowBase64: true })],
    content: textarea.value,
    editorProps: { attributes: { class: 'rte-content prose', 'aria-label': textarea.getAttribute('aria-label') ?? 'Nội dung bài viết' } },
    onUpdate: ({ editor: e }) => {
      textarea.value = e.getHTML();
      refresh();
    },
    onSelectionUpdate: () => refresh(),
  });

  const buttons = BUTTONS.map((b) => {
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.innerHTML = b.html;
    btn.title = b.title;
    btn.setAttribute('aria-label', b.label);
    btn.addEventListener('click', () => {
      b.run(editor.chain().focus()).run();
    });
    toolbar.append(btn);
    return { btn, def: b };
  });

  function refresh() {
    for (const { btn, def } of buttons) btn.setAttribute('aria-pressed', def.active(editor) ? 'true' : 'false');
  }
  refresh();
  textarea.form?.addEventListener('submit', () => {
    textarea.value = editor.getHTML();
  });
  return editor;
}

function start() {
  window.bantinEditors = Array.from(document.querySelectorAll('textarea[data-rich-editor]')).map(enhance);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
