/**
 * Bundles the rich-text editor (scripts/editor-entry.mjs: TipTap/ProseMirror) into one minified file,
 * src/web/public/vendor/editor.js, which is committed: the app is served on closed networks where no CDN
 * and no build step are available. Run after upgrading @tiptap/*: `node scripts/build-editor.mjs`.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  entryPoints: [`${root}scripts/editor-entry.mjs`],
  outfile: `${root}src/web/public/vendor/editor.js`,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome100', 'firefox100', 'safari15'],
  legalComments: 'eof',
  banner: { js: '/* bantin rich-text editor: TipTap 3 + ProseMirror (MIT), built by scripts/build-editor.mjs */' },
  logLevel: 'info',
});
