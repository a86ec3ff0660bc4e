#!/usr/bin/env node
// The compiled CLI; `npm ci` (prepare) and `npm start` build it with `tsc -b`.
import v8 from 'node:v8';

// Targeting patterns are written by users: run them on V8's linear-time
// regular-expression engine (the `l` flag), so none can stall the server.
// Set before any module compiles a pattern; @lumio/targeting detects it.
v8.setFlagsFromString('--enable-experimental-regexp-engine');
await import('../dist/cli/main.js');
