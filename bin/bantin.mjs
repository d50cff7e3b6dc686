#!/usr/bin/env node
// Entry point for `bantin` (npm script and global bin). It runs the precompiled command that `npm ci` /
// `npm install` made (scripts/bundle-cli.mjs) when it was made from exactly the sources in this checkout;
// otherwise tsx compiles the TypeScript sources on the fly. So a checkout runs without a separate build
// step and never runs stale code, and an unedited install skips tsx's start-up (about a second of a cold
// `bantin build`, bench/RESULTS.md "Cold start").
import { freshBundle } from './cli-bundle.mjs';

const bundle = process.env.BANTIN_NO_BUNDLE ? undefined : freshBundle();
if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
