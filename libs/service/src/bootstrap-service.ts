import 'reflect-metadata';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { listenAdminPort, portSeparation } from './admin-port';
import { exitWithParent } from './exit-with-parent';
import { StructuredLogger } from './structured-logger';

export interface ServiceBootstrap {
  name: string;
  module: Type<unknown> | DynamicModule;
  logger: StructuredLogger;
  httpPort: number;
  /** Bind address of the HTTP side (PG2DDB_HTTP_HOST); default every interface. */
  httpHost?: string;
  /**
   * The admin actions' own port (PG2DDB_ADMIN_PORT): when set, `httpPort` serves only
   * /health/live, /health/ready and /metrics, and this port everything else (POST /reconcile, the
   * status page and its actions). Unset: one port serves both, as before.
   */
  adminPort?: number;
  /** Bind address of the admin port (PG2DDB_ADMIN_HOST); default `httpHost`. */
  adminHost?: string;
  /**
   * Builds the Kafka transport once the application context exists (none for producer-only
   * services); several when the service consumes in more than one group (the writer's sweeps).
   */
  transport?: (app: INestApplication) => CustomTransportStrategy | CustomTransportStrategy[];
  /** Largest JSON request body accepted (default MAX_REQUEST_BODY_BYTES); larger ones get 413. */
  maxBodyBytes?: number;
}

/** The admin endpoints take small JSON objects: anything larger is refused before it is parsed. */
export const MAX_REQUEST_BODY_BYTES = 16 * 1024;

/**
 * Starts a pg2ddb service: the HTTP side (health, metrics) and the Kafka transport, with graceful
 * shutdown on SIGINT/SIGTERM so in-flight batches finish and offsets are committed.
 */
export async function bootstrapService(options: ServiceBootstrap): Promise<INestApplication> {
  // Only a JSON parser, with an explicit limit (Nest's default parsers also take url-encoded bodies of 100 kB).
  const app = await NestFactory.create<NestExpressApplication>(options.module, { logger: options.logger, abortOnError: false, bodyParser: false });
  // Before every route: a request on the wrong port never reaches a controller or the body parser.
  if (options.adminPort !== undefined) app.use(portSeparation);
  app.useBodyParser('json', { limit: options.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES });
  app.enableShutdownHooks();
  if (options.transport) {
    const built = options.transport(app);
    for (const strategy of Array.isArray(built) ? built : [built]) app.connectMicroservice({ strategy }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await app.listen(options.httpPort, options.httpHost ?? '0.0.0.0');
  const address = app.getHttpServer().address() as { port: number } | null;
  let adminPort: number | undefined;
  if (options.adminPort !== undefined) {
    const admin = await listenAdminPort(app.getHttpAdapter().getInstance(), options.adminPort, options.adminHost ?? options.httpHost ?? '0.0.0.0');
    app.getHttpServer().once('close', () => admin.close());
    adminPort = (admin.address() as { port: number } | null)?.port;
  }
  options.logger.log(`${options.name} started`, { httpPort: address?.port, ...(adminPort !== undefined ? { adminPort } : {}) });
  exitWithParent(() => {
    options.logger.warn(`${options.name}: the process that started it is gone; shutting down`);
    process.kill(process.pid, 'SIGTERM');
  });
  return app;
}
