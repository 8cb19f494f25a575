export { transformMessage, type ChangeMessage, type TransformOutcome } from './transform-message';
