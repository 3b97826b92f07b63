import { execFileSync } from 'node:child_process';

export const out = () => execFileSync('frobnicate', ['--json']);
