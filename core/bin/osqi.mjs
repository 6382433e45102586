#!/usr/bin/env node
import '../dist/cli/osqi.js';
