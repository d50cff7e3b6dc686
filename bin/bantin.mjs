#!/usr/bin/env node
// Entry point for `bantin` (npm script and global bin). tsx compiles the TypeScript sources on the fly,
// so a checkout runs without a separate build step and never runs stale output.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
