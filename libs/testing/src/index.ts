export { eventually } from './eventually';
export { byKey, keyOf, withoutVersion } from './item-helpers';
export { localStackRunning, readStackEnv, startLocalStack, stackDir, stopLocalStack, type StackEnv } from './local-stack';
export { randomId } from './random-names';
export { pgConnection, TestPipeline, type PipelineNames, type PipelineOptions } from './test-pipeline';
export { DynamoFaultProxy, type DynamoFaults, type FaultCounts } from './dynamo-fault-proxy';
export { PrivateDynamoLocal, type PrivateDynamoLocalOptions } from './private-dynamo-local';
export { PrivateConnectWorker } from './private-connect-worker';
export { cachedComponentDir, launchJava, type JavaProcess } from './java-process';
