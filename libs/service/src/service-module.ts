import { Global, Module } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { HealthController } from './health.controller';
import { Liveness, Readiness } from './readiness';

/** Provides the readiness registry, the metrics registry and the health endpoints. */
@Global()
@Module({
  controllers: [HealthController],
  providers: [
    Readiness,
    Liveness,
    {
      provide: Registry,
      useFactory: () => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry });
        return registry;
      },
    },
  ],
  exports: [Readiness, Liveness, Registry],
})
export class ServiceModule {}
