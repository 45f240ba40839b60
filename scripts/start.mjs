#!/usr/bin/env node
/**
 * `npm start`: build the web app when its sources are newer than the build, then run `crm-migrate serve`
 * (embedded database in DATA_DIR, in-process worker, demo CRM sandboxes).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const webIndex = join('dist', 'web', 'index.html');
if (existsSync(join('web', 'index.html'))) {
  const sources = Math.max(newest('web'), statSync('vite.config.ts').mtimeMs, statSync('package.json').mtimeMs);
  if (!existsSync(webIndex) || statSync(webIndex).mtimeMs < sources) {
    process.stdout.write('Building the web app…\n');
    const res = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
    if (res.status !== 0) process.exit(res.status ?? 1);
  }
}

const child = spawn(process.execPath, ['bin/crm-migrate.js', 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
