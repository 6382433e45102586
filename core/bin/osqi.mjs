#!/usr/bin/env node
// osqi, osqueryi's twin. Runs the bundled build (see scripts/bundle.mjs).
import '../dist/osqi.bundle.mjs';
