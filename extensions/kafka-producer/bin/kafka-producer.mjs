#!/usr/bin/env node
// Launcher osqd (or osquery) starts: `kafka-producer.mjs --socket PATH --timeout N --interval N`.
import '../dist/main.js';
