import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { ConfigError, loadConfig, Secret } from '../src/config.js';

describe('configuration', () => {
  it('has working defaults for the embedded mode', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toMatch(/\.data$/);
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.inProcessWorker).toBe(true);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['PUBLIC_URL', 'not a url'],
    ['LOG_LEVEL', 'loud'],
    ['TRUST_PROXY', 'maybe'],
    ['WORKER_CONCURRENCY', '0'],
    ['HUBSPOT_SANDBOX_URL', 'ftp://x'],
    ['SMTP_URL', 'http://mail'],
  ])('fails fast on a bad %s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Configuration error in ${name}:`));
  });

  it('needs both halves of an OAuth client, and all three LLM settings', () => {
    expect(() => loadConfig({ SALESFORCE_CLIENT_ID: 'abc' })).toThrow(/SALESFORCE_CLIENT_SECRET/);
    expect(() => loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:1' })).toThrow(/LLM_API_KEY/);
    const c = loadConfig({ ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 'shh', PIPEDRIVE_SANDBOX_URL: 'http://127.0.0.1:4010/' });
    expect(c.crmOAuth.zoho?.clientId).toBe('id');
    expect(c.crmSandboxUrls.pipedrive).toBe('http://127.0.0.1:4010');
  });

  it('wraps secrets so they cannot be logged or serialised by accident', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u:hunter2@db/x', HUBSPOT_CLIENT_ID: 'id', HUBSPOT_CLIENT_SECRET: 'hunter3' });
    const text = `${JSON.stringify(c)} ${String(c.databaseUrl)} ${inspect(c)}`;
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('hunter3');
    expect(c.databaseUrl).toBeInstanceOf(Secret);
    expect(c.databaseUrl!.reveal()).toContain('hunter2');
  });
});
