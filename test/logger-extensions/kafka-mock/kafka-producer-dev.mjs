#!/usr/bin/env node
// Runs the kafka_producer extension from its TypeScript sources (no build needed): tsx
// compiles on the fly and maps `@osq/sdk` to sdk/src through tsconfig.dev.json.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('./tsconfig.dev.json', import.meta.url)) });
await import('../../../extensions/kafka-producer/src/main.ts');
