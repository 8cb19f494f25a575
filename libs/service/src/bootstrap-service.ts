import 'reflect-metadata';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import { exitWithParent } from './exit-with-parent';
import { StructuredLogger } from './structured-logger';

export interface ServiceBootstrap {
  name: string;
  module: Type<unknown> | DynamicModule;
  logger: StructuredLogger;
  httpPort: number;
  /** Bind address of the HTTP side (PG2DDB_HTTP_HOST); default every interface. */
  httpHost?: string;
  /** Builds the Kafka transport once the application context exists (none for producer-only services). */
  transport?: (app: INestApplication) => CustomTransportStrategy;
}

/**
 * Starts a pg2ddb service: the HTTP side (health, metrics) and the Kafka transport, with graceful
 * shutdown on SIGINT/SIGTERM so in-flight batches finish and offsets are committed.
 */
export async function bootstrapService(options: ServiceBootstrap): Promise<INestApplication> {
  const app = await NestFactory.create(options.module, { logger: options.logger, abortOnError: false });
  app.enableShutdownHooks();
  if (options.transport) {
    app.connectMicroservice({ strategy: options.transport(app) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await app.listen(options.httpPort, options.httpHost ?? '0.0.0.0');
  const address = app.getHttpServer().address() as { port: number } | null;
  options.logger.log(`${options.name} started`, { httpPort: address?.port });
  exitWithParent(() => {
    options.logger.warn(`${options.name}: the process that started it is gone; shutting down`);
    process.kill(process.pid, 'SIGTERM');
  });
  return app;
}
