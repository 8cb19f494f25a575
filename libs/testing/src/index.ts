export { eventually } from './eventually';
export { localStackRunning, readStackEnv, startLocalStack, stackDir, stopLocalStack, type StackEnv } from './local-stack';
export { randomId } from './random-names';
export { pgConnection, TestPipeline, type PipelineNames, type PipelineOptions } from './test-pipeline';
