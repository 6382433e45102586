#!/usr/bin/env node
// Launcher osquery (or osq) starts: `example-table.mjs --socket PATH --timeout N --interval N`.
import '../dist/main.js';
