export { bootstrapService, type ServiceBootstrap } from './bootstrap-service';
export { HealthController } from './health.controller';
export { Readiness, type ReadinessCheck } from './readiness';
export { ServiceModule } from './service-module';
export { StructuredLogger } from './structured-logger';
