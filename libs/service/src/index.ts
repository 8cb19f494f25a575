export { bootstrapService, type ServiceBootstrap } from './bootstrap-service';
export { HealthController } from './health.controller';
export { cachedProbe, Liveness, Readiness, type ReadinessCheck } from './readiness';
export { repoRoot } from './repo-root';
export { freePort, startServiceProcess, type ServiceName, type ServiceProcess } from './service-process';
export { ServiceModule } from './service-module';
export { StructuredLogger } from './structured-logger';
export { dynamoClientProvider } from './dynamo-client.provider';
export { watchBatchRetries } from './batch-retries';
