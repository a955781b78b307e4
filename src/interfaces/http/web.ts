import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths that belong to the API, the event stream, the docs and the probes: never answered with the dashboard. */
const SERVER_PATHS = /^\/(api|ws|docs|metrics|health|ready|live)(\/|$|\?)/;

/** The package's root: the nearest folder up from this module holding its package.json (src/ under vitest, dist/src when built). */
function packageRoot(from = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bin', 'ffe.js'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

/** Where the built dashboard is: dist/web of the package (written by `npm run build`). */
export const defaultWebRoot = (): string => join(packageRoot(), 'dist', 'web');

/** A dashboard file path (not an API, event-stream, docs or probe path): the rate limit does not count it. */
export const isDashboardPath = (url: string): boolean => !SERVER_PATHS.test(url);

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>FFE</title></head><body><main><h1>The dashboard is not built</h1><p>Run <code>npm run build</code> in the package folder, then reload. The API is at <a href="/docs">/docs</a>.</p></main></body></html>`;

/**
 * The web dashboard at `/`: the files Vite built (hashed assets cached for a year, index.html
 * always revalidated), and index.html for any other page path a browser asks for (the app routes
 * on the client). Without a build, `/` says how to make one instead of a bare 404.
 */
export async function registerWeb(app: FastifyInstance, root: string | null): Promise<(req: FastifyRequest, reply: FastifyReply) => boolean> {
  const index = root && existsSync(join(root, 'index.html')) ? readFileSync(join(root, 'index.html'), 'utf8') : null;
  if (root && index !== null) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      index: 'index.html',
      // One route per built file (found at start-up), not a catch-all: a catch-all would also catch
      // API paths the router refuses (an over-long id must stay a 400, not become a missing file).
      wildcard: false,
      schemaHide: true,
      // Hashed file names change with their content: cache them for good; everything else revalidates.
      setHeaders: (reply, path) => void reply.header('cache-control', path.includes(`${join(root, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
  }
  const page = index ?? NOT_BUILT;
  /** Answers a browser's page request with the app; false when the request is not one (the caller sends its 404). */
  return (req, reply) => {
    const accepts = String(req.headers.accept ?? '');
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !isDashboardPath(req.url) || !accepts.includes('text/html')) return false;
    void reply.code(200).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page);
    return true;
  };
}
