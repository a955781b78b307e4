import type { Command } from 'commander';
import { ApiClient, DEFAULT_API_URL, DEFAULT_TIMEOUT_MS, normaliseApiUrl, type Credential } from './client.js';
import { Out, Secrets, type CtlIo } from './io.js';
import { render } from './render.js';
import { readLogin, tokenFile, tooOpen } from './token-store.js';

export interface Globals {
  apiUrl?: string;
  apiKey?: string;
  json?: boolean;
  timeout?: number;
}

/** One invocation: its io, the secrets to scrub, and the client built from the global options. */
export class Ctl {
  readonly secrets = new Secrets();
  readonly out: Out;

  constructor(readonly io: CtlIo) {
    this.out = new Out(io, this.secrets);
    this.secrets.add(io.env.FFE_API_KEY);
  }

  globals(cmd: Command): Globals {
    const g = cmd.optsWithGlobals() as Globals;
    this.secrets.add(g.apiKey);
    return g;
  }

  get tokenFile(): string {
    return tokenFile(this.io.env);
  }

  /** The server's URL: `--api-url`, `FFE_API_URL`, the saved login's, or the default. */
  apiUrl(cmd: Command): string {
    const g = this.globals(cmd);
    if (g.apiUrl) return normaliseApiUrl(g.apiUrl, '--api-url');
    if (this.io.env.FFE_API_URL) return normaliseApiUrl(this.io.env.FFE_API_URL, 'FFE_API_URL');
    const saved = readLogin(this.tokenFile);
    return saved ? normaliseApiUrl(saved.api_url, this.tokenFile) : DEFAULT_API_URL;
  }

  /**
   * `--api-key`, `FFE_API_KEY`, or the saved login, which is only sent to the server it was issued
   * by (pointing `--api-url` elsewhere must not hand the tokens to another host).
   */
  credential(cmd: Command, baseUrl: string): Credential {
    const g = this.globals(cmd);
    if (g.apiKey) return { kind: 'key', key: g.apiKey, source: '--api-key' };
    if (this.io.env.FFE_API_KEY) return { kind: 'key', key: this.io.env.FFE_API_KEY, source: 'FFE_API_KEY' };
    const file = this.tokenFile;
    const login = readLogin(file);
    if (!login) return { kind: 'none' };
    this.secrets.add(login.access_token, login.refresh_token);
    if (normaliseApiUrl(login.api_url, file) !== baseUrl) return { kind: 'none' };
    if (tooOpen(file)) this.out.note(`ffe-ctl: warning: ${file} is readable by others; chmod 600 it`);
    return { kind: 'login', file, login };
  }

  client(cmd: Command): ApiClient {
    const base = this.apiUrl(cmd);
    const g = this.globals(cmd);
    return new ApiClient(base, this.credential(cmd, base), this.secrets, g.timeout ?? DEFAULT_TIMEOUT_MS);
  }

  json(cmd: Command): boolean {
    return this.globals(cmd).json === true;
  }

  /** `--json`: the body as the server sent it; otherwise `human` (default: the generic renderer). */
  show(cmd: Command, body: unknown, human?: (body: unknown) => string | string[]): void {
    if (this.json(cmd)) return this.out.json(body);
    const text = human ? human(body) : render(body);
    this.out.line(Array.isArray(text) ? text.join('\n') : text);
  }
}
