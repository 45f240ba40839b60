/**
 * AES-256-GCM encryption of secrets at rest (OAuth tokens, PKCE verifiers), with a keyring so keys rotate
 * online: every ciphertext names the key that sealed it, the first key of the ring seals new data, and any key
 * of the ring opens old data. `crm-migrate keys rotate` re-seals everything under the active key.
 *
 * Ciphertext format: `v1.<keyId>.<iv b64url>.<tag b64url>.<ciphertext b64url>`.
 * An optional associated-data string binds a ciphertext to where it is stored (e.g. the connection id and
 * column), so a ciphertext copied into another row fails to open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

export interface KeyEntry {
  id: string;
  key: Buffer;
}

/** Parse `id:base64key,id2:base64key2`. `source` names the variable or file in error messages. */
export function parseKeyring(spec: string, source: string): KeyEntry[] {
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new KeyringError(`${source} holds no keys; expected id:base64key[,id:base64key…]`);
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const sep = entry.indexOf(':');
    if (sep <= 0) throw new KeyringError(`${source}: key #${index + 1} is not in the form id:base64key`);
    const id = entry.slice(0, sep);
    const b64 = entry.slice(sep + 1);
    if (!KEY_ID.test(id)) throw new KeyringError(`${source}: key id "${id}" must be 1–32 letters, digits, _ or -`);
    if (seen.has(id)) throw new KeyringError(`${source}: key id "${id}" appears twice`);
    seen.add(id);
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) throw new KeyringError(`${source}: key "${id}" is not base64`);
    const key = Buffer.from(b64, 'base64');
    if (key.length !== KEY_BYTES) {
      throw new KeyringError(`${source}: key "${id}" is ${key.length} bytes; AES-256 needs exactly ${KEY_BYTES} (generate one with: openssl rand -base64 32)`);
    }
    return { id, key };
  });
}

export function formatKeyring(entries: readonly KeyEntry[]): string {
  return entries.map((e) => `${e.id}:${e.key.toString('base64')}`).join(',');
}

export function generateKey(id: string): KeyEntry {
  return { id, key: randomBytes(KEY_BYTES) };
}

export class Keyring {
  #keys: KeyEntry[];
  readonly #reload: (() => Promise<KeyEntry[]>) | undefined;

  /** `reload` is called when a ciphertext names an unknown key (the key file was rotated by another process). */
  constructor(keys: KeyEntry[], reload?: () => Promise<KeyEntry[]>) {
    if (keys.length === 0) throw new KeyringError('the keyring is empty');
    this.#keys = keys;
    this.#reload = reload;
  }

  get activeKeyId(): string {
    return this.#keys[0]!.id;
  }

  get keyIds(): string[] {
    return this.#keys.map((k) => k.id);
  }

  /** Seal `plaintext` under the active key. */
  encrypt(plaintext: string, associatedData = ''): string {
    const { id, key } = this.#keys[0]!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return ['v1', id, iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
  }

  /** Open a ciphertext; throws KeyringError when it was tampered with or its key is not in the ring. */
  async decrypt(ciphertext: string, associatedData = ''): Promise<string> {
    const parts = ciphertext.split('.');
    if (parts.length !== 5 || parts[0] !== 'v1') throw new KeyringError('not a crm-migrate ciphertext');
    const [, keyId, ivB64, tagB64, ctB64] = parts as [string, string, string, string, string];
    let entry = this.#keys.find((k) => k.id === keyId);
    if (!entry && this.#reload) {
      this.#keys = await this.#reload();
      entry = this.#keys.find((k) => k.id === keyId);
    }
    if (!entry) throw new KeyringError(`the ciphertext was sealed with key "${keyId}", which is not in the keyring`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(ivB64, 'base64url'));
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(Buffer.from(tagB64, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ctB64, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new KeyringError('the ciphertext failed authentication (tampered, or sealed for another record)');
    }
  }

  /** The key id a ciphertext names, without opening it. */
  static keyIdOf(ciphertext: string): string | undefined {
    const parts = ciphertext.split('.');
    return parts.length === 5 && parts[0] === 'v1' ? parts[1] : undefined;
  }
}

export interface LoadedKeyring {
  keyring: Keyring;
  /** Set when the keys live in a file crm-migrate manages (the embedded default). */
  keyFile?: string;
  generated: boolean;
}

/**
 * Build the keyring from ENCRYPTION_KEYS, or, on the embedded default, from `keyFile` (created with one fresh
 * key, mode 0600, when missing). Production (a DATABASE_URL) without ENCRYPTION_KEYS is refused by the caller.
 */
export async function loadKeyring(spec: string | undefined, keyFile: string): Promise<LoadedKeyring> {
  if (spec !== undefined) return { keyring: new Keyring(parseKeyring(spec, 'ENCRYPTION_KEYS')), generated: false };
  let generated = false;
  if (!existsSync(keyFile)) {
    await mkdir(dirname(keyFile), { recursive: true });
    await writeFile(keyFile, `${formatKeyring([generateKey(`k${Date.now().toString(36)}`)])}\n`, { mode: 0o600, flag: 'wx' }).catch(
      (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err; // another process created it first: use theirs
      },
    );
    generated = true;
  }
  await chmod(keyFile, 0o600);
  const read = async () => parseKeyring((await readFile(keyFile, 'utf8')).trim(), keyFile);
  return { keyring: new Keyring(await read(), read), keyFile, generated };
}

/** Put a new active key at the front of a managed key file, keeping the old ones for reading. */
export async function addKeyToFile(keyFile: string): Promise<string> {
  const current = parseKeyring((await readFile(keyFile, 'utf8')).trim(), keyFile);
  const fresh = generateKey(`k${Date.now().toString(36)}`);
  await writeFile(keyFile, `${formatKeyring([fresh, ...current])}\n`, { mode: 0o600 });
  return fresh.id;
}
