#!/usr/bin/env node
// `npm test` / `npm run test:slow`: vitest with the given arguments. When stdout is not a terminal (a
// log file, CI, a pipe) NO_COLOR is set, so the output holds no ANSI colour codes: vitest's colour
// library ignores isatty. FORCE_COLOR (or an explicit NO_COLOR) still wins.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const env = { ...process.env };
if (!process.stdout.isTTY && !('FORCE_COLOR' in env) && !('NO_COLOR' in env)) env.NO_COLOR = '1';
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const child = spawn(process.execPath, [vitest, ...process.argv.slice(2)], { stdio: 'inherit', env });
process.on('SIGINT', () => {}); // the terminal sends it to vitest too (same process group)
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exitCode = code ?? 1;
});
