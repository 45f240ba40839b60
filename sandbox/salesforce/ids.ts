/**
 * Salesforce record ids for the sandbox: 18 characters = 3-character key prefix (001 Account, 003 Contact …),
 * 2-character pod, 1 reserved character, 9 base-62 digits of the world index, then the 3-character
 * case-safe suffix Salesforce appends to 15-character ids. Ids sort like the indices they encode, so
 * `ORDER BY Id` is index order. Timestamps are rendered the way the REST API does (`…000+0000`).
 * Id format: https://help.salesforce.com/s/articleView?id=000385008 (15/18-character ids).
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const POD = '5g0';

/** Key prefixes of the objects the sandbox serves. */
export const KEY_PREFIX = {
  Account: '001', Contact: '003', Lead: '00Q', Opportunity: '006', Task: '00T', Event: '00U', Note: '002',
  User: '005', Organization: '00D', QueryLocator: '01g', Job: '750',
} as const;

/** The 3-character suffix that makes a 15-character id case-insensitively unique. */
export function idSuffix(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let j = 0; j < 5; j++) {
      const c = id15.charCodeAt(chunk * 5 + j);
      if (c >= 65 && c <= 90) bits |= 1 << j;
    }
    out += SUFFIX[bits];
  }
  return out;
}

const small = new Map<string, string[]>();

export function sfId(prefix: string, index: number): string {
  if (index < 64) {
    // Owners, the org and small indices repeat on every row: keep them.
    let cache = small.get(prefix);
    if (!cache) small.set(prefix, (cache = []));
    return (cache[index] ??= makeId(prefix, index));
  }
  return makeId(prefix, index);
}

function makeId(prefix: string, index: number): string {
  let digits = '';
  let n = index;
  for (let k = 0; k < 9; k++) {
    digits = BASE62[n % 62] + digits;
    n = Math.floor(n / 62);
  }
  const id15 = prefix + POD + digits;
  return id15 + idSuffix(id15);
}

/** The index encoded in an id with the given prefix (15 or 18 characters), or null if it is not one. */
export function parseSfId(prefix: string, id: string): number | null {
  if ((id.length !== 15 && id.length !== 18) || !id.startsWith(prefix + POD)) return null;
  let n = 0;
  for (let k = 6; k < 15; k++) {
    const v = BASE62.indexOf(id[k] as string);
    if (v < 0) return null;
    n = n * 62 + v;
  }
  if (id.length === 18 && id.slice(15).toUpperCase() !== idSuffix(id.slice(0, 15))) return null;
  return n;
}

/** The org and the connecting user (owner 0). */
export const ORG_ID = sfId(KEY_PREFIX.Organization, 4242);

const DAY_MS = 86_400_000;
const days: string[] = [];
const TWO = Array.from({ length: 60 }, (_, k) => String(k).padStart(2, '0'));

/** 'YYYY-MM-DD' of a UTC day number, cached (the world spans a few thousand days; rendering is the hot path). */
function dayString(day: number): string {
  // Days since 1970 index a plain array (1970–2243 at most; other days are formatted each time).
  if (day < 0 || day > 100_000) return new Date(day * DAY_MS).toISOString().slice(0, 10);
  return (days[day] ??= new Date(day * DAY_MS).toISOString().slice(0, 10));
}

let lastMs = Number.NaN;
let lastText = '';

/** `2013-05-20T20:49:32.000+0000`, as REST returns datetimes (whole seconds: the milliseconds are always .000). */
export function sfDateTime(ms: number): string {
  // LastModifiedDate and SystemModstamp are the same instant: render it once.
  if (ms === lastMs) return lastText;
  const day = Math.floor(ms / DAY_MS);
  const s = Math.floor((ms - day * DAY_MS) / 1000);
  lastMs = ms;
  lastText = `${dayString(day)}T${TWO[Math.floor(s / 3600)]}:${TWO[Math.floor(s / 60) % 60]}:${TWO[s % 60]}.000+0000`;
  return lastText;
}


export function sfDate(ms: number): string {
  return dayString(Math.floor(ms / DAY_MS));
}
