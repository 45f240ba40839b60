/**
 * Outgoing e-mail (run-completion notices): SMTP through nodemailer when SMTP_URL is set; otherwise each message
 * is written as an `.eml` file to DATA_DIR/outbox, where a person or a test can open it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { AppConfig } from '../config.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface SentMail {
  via: 'smtp' | 'outbox';
  messageId: string;
  /** The .eml file, when written to the outbox. */
  path?: string;
}

export async function sendMail(config: Pick<AppConfig, 'smtpUrl' | 'mailFrom' | 'dataDir'>, mail: OutgoingMail): Promise<SentMail> {
  const message = { from: config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}) };
  if (config.smtpUrl) {
    const transport = nodemailer.createTransport(config.smtpUrl.reveal());
    try {
      const info = await transport.sendMail(message);
      return { via: 'smtp', messageId: info.messageId };
    } finally {
      transport.close();
    }
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = await transport.sendMail(message);
  const dir = join(config.dataDir, 'outbox');
  await mkdir(dir, { recursive: true });
  const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^A-Za-z0-9._-]/g, '')}.eml`;
  const path = join(dir, name);
  await writeFile(path, info.message as Buffer, { mode: 0o600 });
  return { via: 'outbox', messageId: info.messageId, path };
}
