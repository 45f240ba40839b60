/**
 * The HTTP layer: JSON requests with the session cookie and the CSRF header, errors as ApiError carrying the
 * API's `{ error: { code, message, details } }`, and uploads through XMLHttpRequest (for upload progress).
 */
import type { ApiErrorBody } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The CSRF token: the `cm_csrf` cookie the server set with the session (state-changing requests echo it). */
export function csrfToken(): string {
  const match = /(?:^|;\s*)cm_csrf=([^;]*)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : '';
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

function toApiError(status: number, body: unknown, fallback: string): ApiError {
  const err = (body as Partial<ApiErrorBody> | null)?.error;
  if (err && typeof err.code === 'string' && typeof err.message === 'string') return new ApiError(status, err.code, err.message, err.details);
  if (status === 0) return new ApiError(0, 'NETWORK', 'The server could not be reached. Check your connection and try again.');
  return new ApiError(status, 'HTTP_' + status, fallback);
}

/** Listeners told when a request comes back 401 (the session ended): the app then shows the sign-in page. */
const unauthenticatedListeners = new Set<() => void>();
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined | null>;
  body?: unknown;
  signal?: AbortSignal;
}

export async function request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken();
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw toApiError(0, null, '');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const body = parseJson(text);
  if (!res.ok) {
    const error = toApiError(res.status, body, `The server answered ${res.status} ${res.statusText}.`);
    if (res.status === 401 && !path.startsWith('/api/auth/')) for (const l of unauthenticatedListeners) l();
    throw error;
  }
  return body as T;
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

/** POST a file as multipart/form-data, reporting upload progress; resolves with the JSON answer. */
export function uploadFile<T>(path: string, file: File, fields: Record<string, string>, onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('x-csrf-token', csrfToken());
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size }));
    xhr.addEventListener('load', () => {
      const body = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(toApiError(xhr.status, body, `The upload failed: the server answered ${xhr.status}.`));
    });
    xhr.addEventListener('error', () => reject(toApiError(0, null, '')));
    xhr.addEventListener('abort', () => reject(new DOMException('The upload was cancelled.', 'AbortError')));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
