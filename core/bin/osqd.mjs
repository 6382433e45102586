#!/usr/bin/env node
// osqd, osqueryd's twin.
import '../dist/cli/osqd.js';
