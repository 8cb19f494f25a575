import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { CompiledMapping } from '@pg2ddb/mapping';
import { KAFKA_PRODUCER, kafkaProducerProvider, ServiceModule } from '@pg2ddb/service';
import type { Kafka, Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { ChangeBatchHandler } from './change-batch.handler';
import { COMPILED_MAPPING, TRANSFORMER_CONFIG } from './tokens';
import type { TransformerConfig } from './transformer-config';
import { TransformerMetrics } from './transformer-metrics';

/** Wires the transformer: compiled mapping, producer, metrics and the batch handler. */
@Module({})
export class TransformerModule implements OnApplicationShutdown {
  constructor(@Inject(KAFKA_PRODUCER) private readonly producer: Producer) {}

  static forRoot(config: TransformerConfig, mapping: CompiledMapping, kafka: Kafka): DynamicModule {
    return {
      module: TransformerModule,
      imports: [ServiceModule],
      controllers: [ChangeBatchHandler],
      providers: [
        { provide: TRANSFORMER_CONFIG, useValue: config },
        { provide: COMPILED_MAPPING, useValue: mapping },
        kafkaProducerProvider(kafka),
        { provide: TransformerMetrics, inject: [Registry], useFactory: (registry: Registry) => new TransformerMetrics(registry) },
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}
