#!/usr/bin/env node
// The compiled CLI; `npm ci` (prepare) and `npm start` build it with `tsc -b`.
import '../dist/cli/main.js';
