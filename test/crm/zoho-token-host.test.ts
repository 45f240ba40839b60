/** Zoho's callback names the accounts server to exchange the code at; only trusted hosts are used, path included. */
import { describe, expect, it } from 'vitest';
import { tokenHostFromCallback } from '../../src/crm/zoho/oauth.js';

const hosts = { authorize: 'https://accounts.zoho.com', token: 'https://accounts.zoho.com' };

describe('Zoho token host from the callback', () => {
  it('uses a trusted data centre named on the callback', () => {
    expect(tokenHostFromCallback({ 'accounts-server': 'https://accounts.zoho.eu' }, hosts, ['https://accounts.zoho.com', 'https://accounts.zoho.eu'])).toBe('https://accounts.zoho.eu');
  });

  it('keeps the path of a sandbox mounted under a prefix (demo mode)', () => {
    const base = 'http://localhost:3000/sandbox/zoho';
    expect(tokenHostFromCallback({ 'accounts-server': `${base}/` }, { authorize: base, token: base }, [base])).toBe(base);
  });

  it('refuses a host it does not trust, and a prefix it was not given', () => {
    expect(() => tokenHostFromCallback({ 'accounts-server': 'https://evil.example' }, hosts, ['https://accounts.zoho.com'])).toThrow(/not a trusted/);
    expect(() => tokenHostFromCallback({ 'accounts-server': 'http://localhost:3000/elsewhere' }, hosts, ['http://localhost:3000/sandbox/zoho'])).toThrow(/not a trusted/);
  });

  it('falls back to the configured host when the callback names none', () => {
    expect(tokenHostFromCallback({}, hosts, ['https://accounts.zoho.com'])).toBe('https://accounts.zoho.com');
  });
});
