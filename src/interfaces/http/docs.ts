import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { packageVersion } from '../../application/vocabulary.js';

/**
 * OpenAPI 3 from the routes' zod schemas at /docs/json, and Swagger UI at /docs (its assets come
 * from the installed package, so the page works offline). Both are public: they describe the API,
 * they hold no data.
 */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Finance Feedback Engine API',
        version: packageVersion(),
        description: 'Every route but the probes needs `Authorization: Bearer <access token or API key>`. Errors: `{error: {code, message, fields?, request_id}}`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
}
