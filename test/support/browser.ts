import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync, gzipSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';

/** Debian's chromium (services.ts TOOLS installs it for `npm test`). */
export function chromiumPath(): string {
  return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim() || '/usr/bin/chromium';
}

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: chromiumPath(), headless: true });

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/**
 * Init script for every page (plain JS: it runs in the page): records when each `<h1>` text first
 * appears and when each live message arrives, on the page's clock as ms since the epoch
 * (performance.timeOrigin + now), so render and event latency are measured inside the page rather
 * than through the automation round trip.
 */
export const PROBE = `(() => {
  const w = window;
  w.__ffe = { h1: {}, ws: [] };
  const now = () => performance.timeOrigin + performance.now();
  const scan = () => {
    for (const h of document.querySelectorAll('h1')) {
      const t = (h.textContent || '').trim();
      if (t && !(t in w.__ffe.h1)) w.__ffe.h1[t] = now();
    }
  };
  new MutationObserver(scan).observe(document, { subtree: true, childList: true, characterData: true });
  const Native = window.WebSocket;
  class Probed extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (m) => {
        const recv = now();
        try {
          const msg = JSON.parse(String(m.data));
          if (typeof msg.seq === 'number' && msg.type) w.__ffe.ws.push({ type: msg.type, seq: msg.seq, at: typeof msg.at === 'number' ? msg.at : Date.parse(String(msg.at)), recv });
        } catch {}
      });
    }
  }
  window.WebSocket = Probed;
})();`;

export interface Probe {
  /** h1 text → epoch ms it first appeared. */
  h1: Record<string, number>;
  /** Live messages: type, seq, the event's own time and when the page received it (epoch ms). */
  ws: { type: string; seq: number; at: number; recv: number }[];
}
export const probeOf = (page: Page): Promise<Probe> => page.evaluate('window.__ffe') as Promise<Probe>;
/** The page's navigation start, epoch ms. */
export const navStart = (page: Page): Promise<number> => page.evaluate('performance.timeOrigin') as Promise<number>;

const DOM_TIME = `({ selector, text, timeoutMs }) =>
  new Promise((resolve, reject) => {
    const hit = () => Array.from(document.querySelectorAll(selector)).some((e) => !text || (e.textContent || '').includes(text));
    const now = () => performance.timeOrigin + performance.now();
    if (hit()) return resolve(now());
    const o = new MutationObserver(() => {
      if (hit()) {
        o.disconnect();
        clearTimeout(timer);
        resolve(now());
      }
    });
    const timer = setTimeout(() => {
      o.disconnect();
      reject(new Error(selector + (text ? ' containing "' + text + '"' : '') + ' did not appear in ' + timeoutMs + ' ms'));
    }, timeoutMs);
    o.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  })`;

/** Resolves with the epoch ms (page clock) at which `selector` first matches an element containing `text`. */
export function domTime(page: Page, selector: string, text?: string, timeoutMs = 60_000): Promise<number> {
  return page.evaluate(`(${DOM_TIME})(${JSON.stringify({ selector, text, timeoutMs })})`) as Promise<number>;
}

/** Signs in with name and password on the sign-in form; resolves once the shell shows who is signed in. */
export async function signIn(page: Page, user: { name: string; password: string }): Promise<void> {
  await page.getByLabel('User name').fill(user.name);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Attached, not visible: the name is hidden at phone width.
  await page.getByTestId('who').filter({ hasText: user.name }).waitFor({ state: 'attached', timeout: 20_000 });
}

/** Client-side navigation (no reload: the session and live feed stay), then waits for the page's `<h1>`. */
export async function go(page: Page, path: string, h1?: string | RegExp): Promise<void> {
  await page.evaluate(`history.pushState(null, '', ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent('popstate'));`);
  await page
    .locator('h1')
    .filter(h1 ? { hasText: h1 } : {})
    .first()
    .waitFor({ timeout: 20_000 });
}

/** Gzip bytes (zlib default level, as a server or CDN would send them) of the JS a page loaded from dist/web. */
export function jsGzipBytes(distWeb: string, urls: readonly string[]): { files: { path: string; raw: number; gzip: number }[]; raw: number; gzip: number } {
  const files = [...new Set(urls)].map((u) => {
    const path = new URL(u).pathname;
    const buf = readFileSync(join(distWeb, path));
    return { path, raw: buf.length, gzip: gzipSync(buf).length };
  });
  return { files, raw: files.reduce((s, f) => s + f.raw, 0), gzip: files.reduce((s, f) => s + f.gzip, 0) };
}

/** Collects the URLs of the scripts a page requests (from now on). */
export function scriptRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r: Request) => {
    if (r.resourceType() === 'script') urls.push(r.url());
  });
  return urls;
}

/** Decodes an 8-bit, non-interlaced PNG (what chromium's screenshots are) into RGBA pixels. */
export function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  let bitDepth = 0;
  let interlace = 0;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      bitDepth = data[8];
      colorType = data[9];
      interlace = data[12];
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (bitDepth !== 8 || !channels || interlace !== 0) throw new Error(`unsupported PNG (depth ${bitDepth}, colour type ${colorType}, interlace ${interlace})`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = new Uint8Array(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? line[i - channels] : 0;
      const b = prev[i];
      const c = i >= channels ? prev[i - channels] : 0;
      let add = 0;
      if (filter === 1) add = a;
      else if (filter === 2) add = b;
      else if (filter === 3) add = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        add = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[i] = (line[i] + add) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const s = x * channels;
      if (channels >= 3) {
        out[o] = line[s];
        out[o + 1] = line[s + 1];
        out[o + 2] = line[s + 2];
        out[o + 3] = channels === 4 ? line[s + 3] : 255;
      } else {
        out[o] = out[o + 1] = out[o + 2] = line[s];
        out[o + 3] = channels === 2 ? line[s + 1] : 255;
      }
    }
    prev = line;
  }
  return { width, height, rgba: out };
}

/** How many distinct colours a PNG holds (a blank page has one or two). */
export function distinctColours(png: Buffer): number {
  const { rgba } = decodePng(png);
  const seen = new Set<number>();
  for (let i = 0; i < rgba.length; i += 4) seen.add(((rgba[i] << 16) | (rgba[i + 1] << 8) | rgba[i + 2]) >>> 0);
  return seen.size;
}

/**
 * Violations of impact serious or critical on the page as it is now, printed one per line.
 * Legacy mode: axe.run in the page itself. The default runs axe.runPartial in each frame and then
 * opens a new blank page, injects axe into it again and joins the frames' results there, which is
 * for cross-origin iframes; the dashboard has no iframes, so the same rules run on the same
 * document, without that page and the second injection at each of the ~30 checks.
 */
export async function seriousA11y(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ') + (n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ')})` : '')).join('; ')}`);
}

/** Buttons and fields that change state: none of them may be shown to a viewer. */
export const CONTROL = /^(Start agent|Stop agent|Emergency stop|Confirm emergency stop|Approve|Reject|Run\b.*|Cancel job|Close\b.*|Save settings|Create user|Create key|Revoke\b.*|Disable\b.*|Place order|Buy|Sell)$/;

/** The accessible names of the visible buttons on the page (aria-label, else the text). */
export const visibleButtons = (page: Page): Promise<string[]> =>
  page.evaluate(`Array.from(document.querySelectorAll('button, [role="button"], input[type="submit"]'))
    .filter((b) => b.getClientRects().length > 0)
    .map((b) => (b.getAttribute('aria-label') || b.innerText || b.value || '').trim())`) as Promise<string[]>;

/** The visible text of the page (to tell a rendered page from a blank one, and to explain failures). */
export const pageText = (page: Page): Promise<string> => page.evaluate('document.body.innerText') as Promise<string>;
