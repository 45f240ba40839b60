import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addKeyToFile, formatKeyring, generateKey, Keyring, KeyringError, loadKeyring, parseKeyring } from '../../src/security/keyring.js';

describe('keyring', () => {
  const k1 = generateKey('one');
  const k2 = generateKey('two');

  it('round-trips, with a fresh IV each time', async () => {
    const ring = new Keyring([k1]);
    const a = ring.encrypt('00Dxx0000000123!AR8AQ.secret', 'ctx');
    const b = ring.encrypt('00Dxx0000000123!AR8AQ.secret', 'ctx');
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret');
    expect(a.startsWith('v1.one.')).toBe(true);
    expect(await ring.decrypt(a, 'ctx')).toBe('00Dxx0000000123!AR8AQ.secret');
  });

  it('detects tampering with the ciphertext, the tag, the key id or the associated data', async () => {
    const ring = new Keyring([k1]);
    const sealed = ring.encrypt('token-value', 'crm_connections.access_token:row-1');
    const [v, id, iv, tag, ct] = sealed.split('.') as [string, string, string, string, string];
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    await expect(ring.decrypt([v, id, iv, tag, flip(ct)].join('.'), 'crm_connections.access_token:row-1')).rejects.toThrow(KeyringError);
    await expect(ring.decrypt([v, id, iv, flip(tag), ct].join('.'), 'crm_connections.access_token:row-1')).rejects.toThrow(KeyringError);
    await expect(ring.decrypt([v, id, flip(iv), tag, ct].join('.'), 'crm_connections.access_token:row-1')).rejects.toThrow(KeyringError);
    await expect(ring.decrypt(sealed, 'crm_connections.access_token:row-2')).rejects.toThrow(/authentication/);
    await expect(ring.decrypt([v, 'nope', iv, tag, ct].join('.'))).rejects.toThrow(/not in the keyring/);
    await expect(ring.decrypt('plain text')).rejects.toThrow(/not a crm-migrate ciphertext/);
  });

  it('reads old ciphertexts after rotation and seals new ones under the new active key', async () => {
    const old = new Keyring([k1]);
    const sealedOld = old.encrypt('refresh-123');
    const rotated = new Keyring([k2, k1]);
    expect(rotated.activeKeyId).toBe('two');
    expect(await rotated.decrypt(sealedOld)).toBe('refresh-123');
    expect(Keyring.keyIdOf(rotated.encrypt('x'))).toBe('two');
    await expect(new Keyring([k2]).decrypt(sealedOld)).rejects.toThrow(/"one"/);
  });

  it.each([
    ['empty', '', /holds no keys/],
    ['no id', 'abcdef', /id:base64key/],
    ['short key', `k1:${Buffer.alloc(16).toString('base64')}`, /16 bytes; AES-256 needs exactly 32/],
    ['not base64', 'k1:***', /not base64/],
    ['duplicate id', `${formatKeyring([k1])},${formatKeyring([k1])}`, /appears twice/],
    ['bad id', `bad id:${k1.key.toString('base64')}`, /key id/],
  ])('rejects a malformed keyring (%s), naming the variable', (_label, spec, message) => {
    expect(() => parseKeyring(spec, 'ENCRYPTION_KEYS')).toThrow(message);
    try {
      parseKeyring(spec, 'ENCRYPTION_KEYS');
    } catch (err) {
      expect((err as Error).message).toContain('ENCRYPTION_KEYS');
    }
  });

  it('generates a key file with mode 0600 on the embedded default, and reloads it when another process rotates', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cm-keys-'));
    const file = join(dir, 'encryption-keys');
    const first = await loadKeyring(undefined, file);
    expect(first.generated).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const again = await loadKeyring(undefined, file);
    expect(again.generated).toBe(false);
    expect(again.keyring.activeKeyId).toBe(first.keyring.activeKeyId);

    // Another process adds a new active key and seals with it; this process still opens it (reload on unknown id).
    const newId = await addKeyToFile(file);
    const other = await loadKeyring(undefined, file);
    const sealed = other.keyring.encrypt('fresh');
    expect(Keyring.keyIdOf(sealed)).toBe(newId);
    expect(await first.keyring.decrypt(sealed)).toBe('fresh');
    expect((await readFile(file, 'utf8')).split(',')).toHaveLength(2);
  });
});
