#!/usr/bin/env node
// Runs the SDK peer extension (sdk-plugins.ts) from its TypeScript source through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./sdk-plugins.ts');
