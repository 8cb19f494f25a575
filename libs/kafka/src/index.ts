export { rewindConsumerGroup } from './rewind-consumer-group';
export { consumerLag, topicSize } from './consumer-lag';
export { applyPostgresConnector } from './apply-connector';
export { ConnectClient, type ConnectorStatus } from './connect-client';
export { connectorName, defaultSlotName, renderConnectorConfig, type ConnectorConfig, type ConnectorSettings } from './connector-config';
export { buildDeadLetter, type MessageOrigin } from './dead-letter-builder';
export { KafkaBatchServer, type BatchSubscription, type IncomingBatch, type KafkaBatchServerOptions } from './kafka-batch-server';
export { createKafka, ensureTopics, type KafkaLogSink } from './kafka-client';
