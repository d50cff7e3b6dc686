import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'out/', 'bench/work/', 'layouts/**/*.js', 'src/web/public/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-nocheck': true, 'ts-ignore': true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [] }],
    },
  },
  {
    // A forgotten await turns a failed save into an unhandled rejection while the user is told it worked
    // (ArticleService.update became async when photos moved to the picture store). Needs type information.
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    // Only the store talks to SQLite (DESIGN.md: repositories own SQL).
    files: ['src/**/*.ts'],
    ignores: ['src/store/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [
        { name: 'better-sqlite3', message: 'Only src/store/ may import better-sqlite3.' },
        { name: 'puppeteer', allowTypeImports: true, message: 'Only src/typeset/browser.ts launches Chromium.' },
        { name: 'puppeteer-core', allowTypeImports: true, message: 'Only src/typeset/browser.ts launches Chromium.' },
      ] }],
    },
  },
  {
    files: ['src/typeset/browser.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'better-sqlite3', message: 'Only src/store/ may import better-sqlite3.' }] }] },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/web/public/**/*.js', 'layouts/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
