/**
 * `crm-migrate sandbox`: starts one CRM's sandbox on its own, prints one line with its URL, serves until stopped;
 * bad flags exit 1 with a message naming the flag.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CRM_IDS, CRM_NAMES } from '../../src/core/ids.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/crm-migrate.js', import.meta.url));

function run(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, NODE_ENV: 'test' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const i = stdout.indexOf('\n');
      if (i >= 0) resolve(stdout.slice(0, i));
    });
    void exited.then((code) => reject(new Error(`exited ${code} before printing: ${stderr.slice(-2000)}`)));
  });
  firstLine.catch(() => undefined); // awaited only by the tests that expect a line
  return { child, firstLine, exited, output: () => ({ stdout, stderr }) };
}

describe('crm-migrate sandbox', () => {
  it.each(CRM_IDS)('starts the %s sandbox and prints where it listens', async (crm) => {
    const p = run(['sandbox', '--crm', crm, '--port', '0', '--records', 'contacts=10,accounts=2']);
    try {
      const line = await p.firstLine;
      const match = new RegExp(`^${CRM_NAMES[crm].replace('.', '\\.')} sandbox listening on (http://127\\.0\\.0\\.1:\\d+)$`).exec(line);
      expect(match, line).not.toBeNull();
      const config = await (await fetch(`${match![1]}/_sandbox/config`)).json();
      expect(config).toHaveProperty('rateLimits', 'realistic');
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      expect(p.output().stdout.trim().split('\n')).toHaveLength(1);
    } finally {
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
    }
  }, 60_000);

  it('exits 1 naming the flag on a bad value', async () => {
    const p = run(['sandbox', '--crm', 'dynamics', '--port', '0']);
    expect(await p.exited).toBe(1);
    expect(p.output().stderr).toMatch(/--crm: expected one of salesforce, hubspot, pipedrive, zoho, monday, got "dynamics"/);
  }, 60_000);
});
