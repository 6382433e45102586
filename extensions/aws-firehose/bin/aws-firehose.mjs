#!/usr/bin/env node
// Launcher osqd (or osquery) starts: `aws-firehose.mjs --socket PATH --timeout N --interval N`.
import '../dist/main.js';
