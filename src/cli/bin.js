#!/usr/bin/env node
// The `tracefix` command. Node 24 runs the TypeScript sources directly (type stripping).
import './main.ts';
