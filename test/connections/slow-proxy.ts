/**
 * A pass-through HTTP proxy in front of a sandbox that holds back chosen requests (the token endpoint), so two
 * refreshers are sure to overlap: without it the first refresh can finish before the second caller even reads
 * the connection, and the test would prove nothing about the lock.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowProxy {
  url: string;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'content-encoding']);

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startSlowProxy(target: string, isSlow: (method: string, path: string) => boolean, delayMs: number): Promise<SlowProxy> {
  const server = createServer((req, res) => {
    void (async () => {
      const payload = await body(req);
      if (isSlow(req.method ?? 'GET', (req.url ?? '/').split('?')[0]!)) await new Promise((r) => setTimeout(r, delayMs));
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && typeof v === 'string') headers[k] = v;
      const upstream = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers,
        body: payload.length > 0 ? new Uint8Array(payload) : undefined,
        redirect: 'manual',
      });
      const out: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (!HOP_BY_HOP.has(k)) out[k] = v;
      });
      res.writeHead(upstream.status, out);
      res.end(Buffer.from(await upstream.arrayBuffer()));
    })().catch((err: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
